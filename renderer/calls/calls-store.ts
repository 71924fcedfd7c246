import { create } from 'zustand';
import { rpc } from '../api/client.js';
import { useCockpitStore } from '../stores/cockpit-store.js';

/*
 * The call bar's dialogs and the writes behind its buttons. Starting, joining, leaving and
 * planning a call are events.append like any entry (through the cockpit store, so a refusal
 * shows the core's sentence); ending one is calls.end, which also drafts the minutes, and then
 * the minutes open for the commander or scribe to read, edit and publish.
 */

export type CallDialog =
  | { kind: 'start' }
  | { kind: 'add-person'; callId: string }
  | { kind: 'end'; callId: string }
  | { kind: 'minutes'; callId: string }
  | { kind: 'plan' };

interface CallsState {
  dialog: CallDialog | null;
  show(dialog: CallDialog | null): void;
  /** Ends the call for everyone; opens its draft minutes. Throws the core's refusal. */
  end(incidentId: string, callId: string): Promise<void>;
  /** Records the person at the keyboard (or someone on the phone) joining or leaving a call. */
  attend(incidentId: string, callId: string, person: string, how: 'joined' | 'left', opts?: { inDialog?: boolean }): Promise<void>;
}

export const useCallsStore = create<CallsState>()((set) => ({
  dialog: null,
  show(dialog) {
    set({ dialog });
  },
  async end(incidentId, callId) {
    await rpc().call('calls.end', { incidentId, callId });
    set({ dialog: { kind: 'minutes', callId } });
  },
  async attend(incidentId, callId, person, how, opts) {
    const kind = how === 'joined' ? 'attendee.joined' : 'attendee.left';
    await useCockpitStore.getState().appendTo(incidentId, kind, { target: callId, person }, opts);
  },
}));

// A dialog about the incident being left (a conn:// link, the palette) must not stay open over the next one.
useCockpitStore.subscribe((s, prev) => {
  if (s.incidentId !== prev.incidentId && useCallsStore.getState().dialog !== null) useCallsStore.getState().show(null);
});
