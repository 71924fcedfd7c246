import { create } from 'zustand';
import type { AppendParams } from '../../shared/api/contract.js';
import type { EventKind, PayloadInputOf } from '../../shared/domain/events.js';
import type { IncidentState } from '../../shared/domain/fold.js';
import { rpc } from '../api/client.js';

/** The incident on screen: its folded state and the writes the cockpit makes to it. */
interface CockpitState {
  incidentId: string | null;
  incident: IncidentState | null;
  error: string | null;
  open(incidentId: string | null): Promise<void>;
  refresh(): Promise<void>;
  append<K extends EventKind>(kind: K, payload: PayloadInputOf<K>): Promise<void>;
  /**
   * Appends to a given incident: a confirmed or undone change belongs to the incident it was
   * asked for, even if the cockpit has moved on since. A refusal is shown on the cockpit,
   * unless `inDialog`: a dialog shows it beside what the person typed, once, and stays open.
   */
  appendTo<K extends EventKind>(incidentId: string, kind: K, payload: PayloadInputOf<K>, opts?: { inDialog?: boolean }): Promise<void>;
  /** Sends a refused entry again (after its cause is fixed), or drops it for good. */
  settleRefused(eventId: string, how: 'resend' | 'discard'): Promise<void>;
}

export const useCockpitStore = create<CockpitState>()((set, get) => ({
  incidentId: null,
  incident: null,
  error: null,
  async open(incidentId) {
    set({ incidentId, incident: null, error: null });
    if (incidentId) await get().refresh();
  },
  async refresh() {
    const id = get().incidentId;
    if (!id) return;
    try {
      const incident = await rpc().call('incidents.get', { ref: id });
      // A slow answer for an incident we already left must not overwrite the new one.
      if (get().incidentId === id) set({ incident, error: null });
    } catch (e) {
      if (get().incidentId === id) set({ error: (e as Error).message });
    }
  },
  async append(kind, payload) {
    const id = get().incidentId;
    if (!id) return;
    await get().appendTo(id, kind, payload);
  },
  async appendTo(incidentId, kind, payload, opts) {
    try {
      // TypeScript cannot tie the generic K to one member of the union; the signature above does.
      await rpc().call('events.append', { incidentId, kind, payload } as AppendParams);
      if (get().incidentId === incidentId) set({ error: null });
    } catch (e) {
      // The cockpit shows the core's sentence, if it still shows that incident.
      if (get().incidentId === incidentId && !opts?.inDialog) set({ error: (e as Error).message });
      throw e;
    }
  },
  async settleRefused(eventId, how) {
    try {
      await rpc().call(how === 'resend' ? 'events.resend' : 'events.discard', { eventId });
      set({ error: null });
    } catch (e) {
      set({ error: (e as Error).message });
    }
  },
}));
