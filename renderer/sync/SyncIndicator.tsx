import { syncMode, useSyncStore } from '../stores/sync-store.js';
import { useUiStore } from '../stores/ui-store.js';
import { syncExplanation } from './sync-explanation.js';

const LABEL = { offline: 'Offline', syncing: 'Syncing', online: 'Online', local: 'Local only' } as const;

/**
 * Always on screen. "Offline" covers both the hub being unreachable and this window losing its
 * core; the pending count is what has been saved here but not yet acknowledged by the hub.
 */
export function SyncIndicator() {
  const { coreConnected, status } = useSyncStore();
  const mode = syncMode(coreConnected, status);
  const pending = status?.pending ?? 0;
  const refused = status?.rejected ?? 0;
  const detail = syncExplanation(coreConnected, status);
  return (
    <div role="status" aria-label="Sync status" className={`sync sync-${mode}`}>
      {/* Opens the "Hub connection" dialog: connect, switch hubs or disconnect while running. */}
      <button type="button" className="sync-button" aria-haspopup="dialog" title={detail} aria-label={`${LABEL[mode]}: hub connection…`} onClick={() => useUiStore.getState().setHubOpen(true)}>
        <span className="dot" aria-hidden="true" />
        {LABEL[mode]}
        {mode === 'offline' && status?.state === 'connecting' && coreConnected && ' · reconnecting'}
        {pending > 0 && ` · ${pending} pending`}
        {/* Refused entries are out of the incident: say so wherever the person is looking. */}
        {refused > 0 && ` · ${refused} refused`}
      </button>
    </div>
  );
}
