import { create } from 'zustand';
import type { FollowUpAction } from '../../shared/api/followup-methods.js';
import type { ActionStateValue } from '../../shared/domain/events.js';
import { rpc } from '../api/client.js';
import { useCockpitStore } from '../stores/cockpit-store.js';

export interface FollowUpFilter {
  mine: boolean;
  overdue: boolean;
  all: boolean;
}

/** The follow-up list (open action items across every incident) and its filters. */
interface FollowUpState {
  filter: FollowUpFilter;
  rows: FollowUpAction[];
  loaded: boolean;
  error: string | null;
  setFilter(change: Partial<FollowUpFilter>): void;
  refresh(): Promise<void>;
  setState(row: FollowUpAction, state: ActionStateValue): Promise<void>;
}

let asked = 0;

export const useFollowUpStore = create<FollowUpState>()((set, get) => ({
  filter: { mine: false, overdue: false, all: false },
  rows: [],
  loaded: false,
  error: null,
  setFilter(change) {
    set({ filter: { ...get().filter, ...change } });
    void get().refresh();
  },
  async refresh() {
    const ticket = ++asked;
    const { mine, overdue, all } = get().filter;
    try {
      const rows = await rpc().call('actions.list', { ...(mine ? { mine } : {}), ...(overdue ? { overdue } : {}), ...(all ? { all } : {}) });
      // Only the answer to the latest question: filters can change faster than answers come.
      if (ticket === asked) set({ rows, loaded: true, error: null });
    } catch (e) {
      if (ticket === asked) set({ error: (e as Error).message, loaded: true });
    }
  },
  async setState(row, state) {
    try {
      await useCockpitStore.getState().appendTo(row.incidentId, 'action.updated', { target: row.action.id, state }, { inDialog: true });
      set({ error: null });
    } catch (e) {
      set({ error: (e as Error).message });
    }
    await get().refresh();
  },
}));
