import { create } from 'zustand';
import type { ResultOf } from '../../shared/api/contract.js';
import type { SloChanges } from '../../shared/reports/slo-protocol.js';
import { rpc } from '../api/client.js';

/** The periods the view offers, in days. */
export const PERIODS = [7, 30, 90, 365] as const;
export type Period = (typeof PERIODS)[number];

interface ReportsState {
  days: Period;
  report: ResultOf<'reports.get'> | null;
  error: string | null;
  load(days?: Period): Promise<void>;
  /** Changes the team's SLO through the hub (admins only; the core and the hub check it) and reloads the report. */
  saveSlo(change: SloChanges): Promise<void>;
}

/** Bumped per load: an answer for a period no longer chosen is dropped. */
let generation = 0;

/** The Reports view's state: the core computes the report (reports.get); this only asks and keeps it. */
export const useReportsStore = create<ReportsState>()((set, get) => ({
  days: 30,
  report: null,
  error: null,
  async load(days = get().days) {
    const mine = ++generation;
    set({ days });
    try {
      const report = await rpc().call('reports.get', { days });
      if (mine === generation) set({ report, error: null });
    } catch (e) {
      if (mine === generation) set({ error: (e as Error).message });
    }
  },
  async saveSlo(change) {
    await rpc().call('reports.slo.set', change);
    await get().load();
  },
}));
