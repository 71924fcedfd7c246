import { create } from 'zustand';
import { rpc } from '../api/client.js';
import type { SyncStatus } from '../../shared/api/results.js';

/**
 * Two links decide what the indicator says: this window to its core (`coreConnected`), and the
 * core to the hub (`status`). Either being down is "Offline" to the person at the keyboard.
 */
interface SyncState {
  coreConnected: boolean;
  status: SyncStatus | null;
  setCoreConnected(connected: boolean): void;
  refresh(): Promise<void>;
}

export const useSyncStore = create<SyncState>()((set) => ({
  coreConnected: false,
  status: null,
  setCoreConnected(connected) {
    set({ coreConnected: connected });
  },
  async refresh() {
    try {
      set({ status: await rpc().call('sync.status', {}) });
    } catch {
      // The indicator already shows the core link as down; a failed poll changes nothing else.
    }
  },
}));

export type SyncMode = 'offline' | 'syncing' | 'online' | 'local';

/** What the indicator shows, from both links. "local" means no hub is configured at all. */
export function syncMode(coreConnected: boolean, status: SyncStatus | null): SyncMode {
  if (!coreConnected) return 'offline';
  if (!status) return 'syncing';
  switch (status.state) {
    case 'disabled':
      return 'local';
    // "connecting" is a hub that is not answering yet: to the person, that is being offline.
    case 'offline':
    case 'error':
    case 'connecting':
      return 'offline';
    case 'online':
      return status.syncing || status.pending > 0 ? 'syncing' : 'online';
  }
}
