import type { SyncStatus } from '../../shared/api/results.js';
import { syncMode } from '../stores/sync-store.js';

/**
 * What the sync badge means, in words: shown on hover and in the hub dialog. "Local only · 60
 * pending" is the case people asked about: 60 entries saved on this machine that no hub has
 * acknowledged, because none is configured.
 */
export function syncExplanation(coreConnected: boolean, status: SyncStatus | null): string {
  const pending = status?.pending ?? 0;
  const refused = status?.rejected ?? 0;
  const waiting =
    pending === 0
      ? ''
      : ` ${pending} pending: ${pending === 1 ? 'an entry' : 'entries'} saved on this machine that the hub has not acknowledged yet; ${pending === 1 ? 'it is' : 'they are'} sent when a hub is reachable.`;
  const refusedText = refused === 0 ? '' : ` ${refused} refused: the hub turned ${refused === 1 ? 'an entry' : 'entries'} down; ${refused === 1 ? 'it is' : 'they are'} marked in the timeline with the reason.`;
  switch (syncMode(coreConnected, status)) {
    case 'offline':
      if (!coreConnected) return 'Offline: this window has lost its connection to Conn on this machine (the app or `conn web` stopped). It reconnects by itself; nothing can be saved until then.';
      return `Offline: the hub${status?.hub ? ` at ${status.hub}` : ''} cannot be reached${status?.error ? ` (${status.error})` : ''}. Entries are saved on this machine and sent when it is back.${waiting}${refusedText}`;
    case 'local':
      return `Local only: no hub is configured, so entries stay on this machine and teammates do not see them. Connect a hub to share them.${waiting}${refusedText}`;
    case 'syncing':
      return `Syncing with the hub${status?.hub ? ` at ${status.hub}` : ''}.${waiting}${refusedText}`;
    case 'online':
      return `Online: in sync with the hub${status?.hub ? ` at ${status.hub}` : ''}; everything saved here has reached it.${refusedText}`;
  }
}
