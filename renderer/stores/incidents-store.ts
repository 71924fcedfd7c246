import { create } from 'zustand';
import type { Severity } from '../../shared/domain/severity.js';
import { isActiveStatus } from '../../shared/domain/status.js';
import { rpc } from '../api/client.js';
import type { IncidentState } from '../../shared/domain/fold.js';
import type { IncidentSummary } from '../../shared/domain/incident-summary.js';

/** A list row: the summary, with what the list shows beyond it read from the folded state. */
export type IncidentListItem = IncidentSummary & Partial<Pick<IncidentState, 'roles' | 'declaredBy' | 'nextUpdateDueAt'>>;

interface IncidentsState {
  incidents: IncidentListItem[];
  loaded: boolean;
  error: string | null;
  refresh(): Promise<void>;
  declare(incident: { title: string; severity: Severity; services?: string[]; summary?: string }): Promise<string>;
}

export const useIncidentsStore = create<IncidentsState>()((set) => ({
  incidents: [],
  loaded: false,
  error: null,
  async refresh() {
    try {
      const list = await rpc().call('incidents.list', { all: true });
      // The summary has no roles, declarer (who commands until someone is assigned) or update
      // cadence; fold those in for active incidents only, which are few, so the list never
      // reads every incident's state.
      const incidents = await Promise.all(
        list.map(async (i): Promise<IncidentListItem> => {
          if (!isActiveStatus(i.status)) return i;
          const s = await rpc().call('incidents.get', { ref: i.id });
          return { ...i, roles: s.roles, declaredBy: s.declaredBy, nextUpdateDueAt: s.nextUpdateDueAt };
        }),
      );
      set({ incidents: sortIncidents(incidents), loaded: true, error: null });
    } catch (e) {
      set({ error: (e as Error).message, loaded: true });
    }
  },
  async declare(incident) {
    const { id } = await rpc().call('incidents.declare', incident);
    return id;
  },
}));

/** Active incidents first, the worst severity first, then the newest. */
export function sortIncidents(list: IncidentListItem[]): IncidentListItem[] {
  return [...list].sort((a, b) => {
    const act = Number(isActiveStatus(b.status)) - Number(isActiveStatus(a.status));
    if (act !== 0) return act;
    if (a.severity !== b.severity) return a.severity - b.severity;
    return (b.declaredAt ?? '').localeCompare(a.declaredAt ?? '');
  });
}
