import { create } from 'zustand';
import type { UpdateDeliveries } from '../../shared/api/update-methods.js';
import type { DeliveryStatus } from '../../shared/updates/delivery-protocol.js';
import { rpc } from '../api/client.js';

/*
 * Stakeholder updates in the cockpit: whether the "Post update" dialog is open, and what the hub
 * says became of each update of the incident on screen. Delivery state is the hub's (it
 * delivers), so it is asked for: when the incident opens, after an update is posted, and every
 * few seconds while a delivery is still queued.
 */

const POLL_MS = 3_000;

interface UpdatesState {
  dialogOpen: boolean;
  setDialogOpen(open: boolean): void;
  incidentId: string | null;
  /** Deliveries by update id; empty until the hub answered. */
  byUpdate: Record<string, DeliveryStatus[]>;
  /** Why delivery state is not known now (no hub, no answer), or null. */
  unknownBecause: string | null;
  /** When the hub said what is shown, when it did not answer now (the last-known state); else null. */
  lastKnownAt: string | null;
  /** Starts watching an incident's deliveries (null stops). */
  watch(incidentId: string | null): void;
  refresh(): Promise<void>;
}

let timer: ReturnType<typeof setTimeout> | undefined;

function group(d: UpdateDeliveries): Record<string, DeliveryStatus[]> {
  const out: Record<string, DeliveryStatus[]> = {};
  for (const x of d.deliveries) (out[x.updateId] ??= []).push(x);
  return out;
}

export const useUpdatesStore = create<UpdatesState>((set, get) => ({
  dialogOpen: false,
  setDialogOpen: (open) => set({ dialogOpen: open }),
  incidentId: null,
  byUpdate: {},
  unknownBecause: null,
  lastKnownAt: null,
  watch(incidentId) {
    if (timer) clearTimeout(timer);
    timer = undefined;
    set({ incidentId, byUpdate: {}, unknownBecause: null, lastKnownAt: null });
    if (incidentId) void get().refresh();
  },
  async refresh() {
    const id = get().incidentId;
    if (!id) return;
    if (timer) clearTimeout(timer);
    timer = undefined;
    let queued = false;
    try {
      const d = await rpc().call('updates.deliveries', { incidentId: id });
      if (get().incidentId !== id) return;
      set({ byUpdate: group(d), unknownBecause: d.source === 'hub' ? null : d.reason, lastKnownAt: d.source === 'last-known' ? d.asOf : null });
      queued = d.deliveries.some((x) => x.state === 'queued');
    } catch {
      // The incident went away or the core restarted: the next open asks again.
    }
    if (queued && get().incidentId === id) timer = setTimeout(() => void get().refresh(), POLL_MS);
  },
}));
