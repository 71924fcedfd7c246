import { create } from 'zustand';
import { useCockpitStore } from '../stores/cockpit-store.js';
import { eventOf, isNoOp, needsConfirmation, type FieldChange } from './change-rules.js';
import { useUndoStore } from './undo-store.js';

/**
 * Status and severity changes asked for anywhere in the cockpit (palette, header controls, the
 * S / V chooser) come through here, so the same rules apply wherever they are triggered: a
 * risky one waits in `pending` for the confirm dialog, and every change made is offered for undo.
 */
interface ChangeState {
  /** A change waiting for confirmation; the confirm dialog is open while this is set. */
  pending: FieldChange | null;
  request(change: FieldChange): Promise<void>;
  confirm(): Promise<void>;
  cancel(): void;
}

async function commit(change: FieldChange): Promise<void> {
  const { kind, payload } = eventOf(change);
  try {
    await useCockpitStore.getState().appendTo(change.incidentId, kind, payload);
  } catch {
    return; // the cockpit shows the core's sentence; there is nothing to undo
  }
  useUndoStore.getState().offerUndo(change);
}

export const useChangeStore = create<ChangeState>()((set, get) => ({
  pending: null,
  async request(change) {
    if (isNoOp(change)) return;
    if (needsConfirmation(change)) {
      set({ pending: change });
      return;
    }
    await commit(change);
  },
  async confirm() {
    const change = get().pending;
    if (!change) return;
    set({ pending: null });
    await commit(change);
  },
  cancel: () => set({ pending: null }),
}));
