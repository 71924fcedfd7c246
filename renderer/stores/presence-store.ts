import { create } from 'zustand';
import { rpc } from '../api/client.js';
import type { PresentMember } from '../../shared/api/results.js';

/**
 * Who else is looking at the incident this window shows. The window tells its core which
 * incident that is (presence.watch), the core's sync engine tells the hub, and the hub tells
 * every teammate's cockpit; a 'presence-changed' notification makes this refetch. Only the
 * others are kept: the person at the keyboard knows they are looking.
 */
interface PresenceState {
  /** The incident this window last told its core it shows, or null. */
  watching: string | null;
  others: PresentMember[];
  /** Tells the core which incident the window shows; `force` repeats it (a new or restarted core). */
  watch(incidentId: string | null, force?: boolean): Promise<void>;
  refresh(): Promise<void>;
}

export const usePresenceStore = create<PresenceState>()((set, get) => ({
  watching: null,
  others: [],
  async watch(incidentId, force = false) {
    if (!force && get().watching === incidentId) return;
    set({ watching: incidentId, others: [] });
    try {
      await rpc().call('presence.watch', { incidentId });
    } catch {
      // The core link is down; the reconnect repeats the watch (live-updates.ts).
      return;
    }
    await get().refresh();
  },
  async refresh() {
    const id = get().watching;
    if (!id) return set({ others: [] });
    try {
      const members = await rpc().call('presence.get', { incidentId: id });
      // A slow answer for an incident the window already left must not show there.
      if (get().watching === id) set({ others: members.filter((m) => !m.you) });
    } catch {
      // Keep what is shown; the next notification or reconnect asks again.
    }
  },
}));
