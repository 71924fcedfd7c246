import { create } from 'zustand';
import { hasNewsFromOthers, type Digest } from '../../shared/reports/digest.js';
import { rpc } from '../api/client.js';
import { useUiStore } from './ui-store.js';

/**
 * "While you were away" (digest.get): what changed on every incident since the reader last
 * marked it read, in their zone. The first answer after the window opens decides whether the
 * digest comes up by itself, above the incident list: only when a teammate wrote something in it
 * (hasNewsFromOthers). Above the list rather than instead of it, so the incidents are still one
 * click away; a window opened on an incident (a conn:// link) stays on it.
 */
interface DigestState {
  digest: Digest | null;
  error: string | null;
  /** The app has looked once since it opened: later refreshes never take over the screen. */
  shownOnOpen: boolean;
  /** Shown above the incident list until it is marked read. */
  onList: boolean;
  load(): Promise<void>;
  /** Called when the core connects: the first time, shows the digest if there is news. */
  openIfNew(): Promise<void>;
  markRead(): Promise<void>;
}

export const useDigestStore = create<DigestState>()((set, get) => ({
  digest: null,
  error: null,
  shownOnOpen: false,
  onList: false,
  async load() {
    try {
      set({ digest: await rpc().call('digest.get', {}), error: null });
    } catch (e) {
      set({ error: (e as Error).message });
    }
  },
  async openIfNew() {
    if (get().shownOnOpen) return;
    await get().load();
    if (get().shownOnOpen) return;
    const digest = get().digest;
    set({ shownOnOpen: true, onList: digest !== null && hasNewsFromOthers(digest) });
  },
  async markRead() {
    try {
      await rpc().call('digest.markRead', {});
      // The next digest starts now: ask again rather than guess what it holds.
      await get().load();
      set({ onList: false });
      useUiStore.getState().setView('list');
    } catch (e) {
      set({ error: (e as Error).message });
    }
  },
}));
