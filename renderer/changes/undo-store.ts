import { create } from 'zustand';
import { rpc } from '../api/client.js';
import { useCockpitStore } from '../stores/cockpit-store.js';
import { describeChange, eventOf, reverseOf, type FieldChange } from './change-rules.js';

/** How long the toast offers Undo after a status or severity change. */
export const UNDO_WINDOW_MS = 10_000;

/**
 * The undo offer for the latest status or severity change made from this cockpit. Undo appends
 * the reverse change through the same `events.append` as the change itself: the timeline is
 * append-only, so an undo is a new event, and the fold's milestones follow the final history.
 */
interface UndoState {
  /** The change Undo would reverse; `seq` tells one offer from the next, for the toast's timer. */
  offer: { change: FieldChange; seq: number } | null;
  /** What the last undo did, said once in the toast. */
  notice: string | null;
  offerUndo(change: FieldChange): void;
  undo(): Promise<void>;
  /** Withdraws the offer `seq` (or whichever is shown): its window passed, or it was closed. */
  dismiss(seq?: number): void;
  clearNotice(): void;
}

function valueOf(c: FieldChange, state: { status: string; severity: number }): string | number {
  return c.field === 'status' ? state.status : state.severity;
}

let nextSeq = 1;

export const useUndoStore = create<UndoState>()((set, get) => ({
  offer: null,
  notice: null,
  offerUndo: (change) => set({ offer: { change, seq: nextSeq++ }, notice: null }),
  async undo() {
    const offer = get().offer;
    if (!offer) return;
    set({ offer: null, notice: null });
    const { change } = offer;
    const back = reverseOf(change);
    try {
      // Undo restores what this person replaced; if someone has changed the field since, putting
      // the old value back would silently overwrite their change, so it is refused instead.
      const now = valueOf(change, await rpc().call('incidents.get', { ref: change.incidentId }));
      if (now !== change.to) {
        set({ notice: `Not undone: ${change.ref} ${change.field} has changed since (now ${change.field === 'severity' ? `SEV${now}` : now}).` });
        return;
      }
      const { kind, payload } = eventOf(back);
      await useCockpitStore.getState().appendTo(change.incidentId, kind, payload);
      set({ notice: `Undone: ${describeChange(back)}` });
    } catch (e) {
      set({ notice: `Not undone: ${(e as Error).message}` });
    }
  },
  dismiss(seq) {
    if (seq !== undefined && get().offer?.seq !== seq) return; // a newer offer stands
    set({ offer: null });
  },
  clearNotice: () => set({ notice: null }),
}));
