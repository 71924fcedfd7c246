import { syncMode, useSyncStore } from '../stores/sync-store.js';

/**
 * A banner across the window while either link is down: this window to its core (nothing can
 * be saved) or the core to the hub (entries are saved here and wait). The indicator at the top
 * right says it in a word; this says what it means for what the person types next.
 */
export function OfflineBanner() {
  const { coreConnected, status } = useSyncStore();
  // Before the first answer there is nothing to report: the indicator says "Syncing".
  if (coreConnected && syncMode(coreConnected, status) !== 'offline') return null;
  if (!coreConnected)
    return (
      <div className="offline-banner core-lost" role="alert">
        <strong>Not connected to Conn on this machine.</strong> Nothing you type can be saved until it is back; drafts stay where they are. Reconnecting…
      </div>
    );
  const pending = status?.pending ?? 0;
  return (
    <div className="offline-banner" role="alert">
      <strong>The hub is unreachable.</strong> Entries are saved on this machine and sent when it is back
      {pending > 0 ? ` (${pending} waiting)` : ''}; teammates do not see them until then.
    </div>
  );
}
