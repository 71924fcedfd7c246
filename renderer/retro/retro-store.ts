import { create } from 'zustand';
import type { RetroDocument } from '../../shared/api/followup-methods.js';
import type { EventKind, PayloadInputOf } from '../../shared/domain/events.js';
import { rpc } from '../api/client.js';
import { useCockpitStore } from '../stores/cockpit-store.js';

/**
 * The retrospective on screen: its document as the core folds it, refetched whenever its
 * incident changes (a teammate's edit arrives as an incident-changed like any other event).
 * Writes are events through the cockpit store, so a refusal is shown the same way everywhere.
 */
interface RetroState {
  incidentId: string | null;
  doc: RetroDocument | null;
  error: string | null;
  open(incidentId: string): Promise<void>;
  refresh(): Promise<void>;
  write<K extends Extract<EventKind, 'retro.edited' | 'retro.state'>>(kind: K, payload: PayloadInputOf<K>): Promise<void>;
}

export const useRetroStore = create<RetroState>()((set, get) => ({
  incidentId: null,
  doc: null,
  error: null,
  async open(incidentId) {
    if (get().incidentId !== incidentId) set({ incidentId, doc: null, error: null });
    await get().refresh();
  },
  async refresh() {
    const id = get().incidentId;
    if (!id) return;
    try {
      const doc = await rpc().call('retro.get', { ref: id });
      // A slow answer for a retrospective already left must not overwrite the new one.
      if (get().incidentId === id) set({ doc, error: null });
    } catch (e) {
      if (get().incidentId === id) set({ error: (e as Error).message });
    }
  },
  async write(kind, payload) {
    const id = get().incidentId;
    if (!id) return;
    try {
      await useCockpitStore.getState().appendTo(id, kind, payload, { inDialog: true });
      set({ error: null });
      await get().refresh();
    } catch (e) {
      // The core's sentence (a refused publish says who may) stays beside the editor.
      set({ error: (e as Error).message });
      throw e;
    }
  },
}));
