import { DialogFooter, useDialogSave } from '../dialogs/dialog-form.js';
import { useRef, useState, type FormEvent, type RefObject } from 'react';
import type { ActionItem, IncidentState } from '../../shared/domain/fold.js';
import { useModalDialog } from '../dialogs/use-modal-dialog.js';
import { useCockpitStore } from '../stores/cockpit-store.js';
import { useProfileStore, viewerZone } from '../stores/profile-store.js';
import { useTimelineStore } from '../stores/timeline-store.js';
import { useUiStore } from '../stores/ui-store.js';
import { toZonedInput } from '../time/zoned-input.js';
import { actionChange } from './action-update.js';
import { entryName } from './entry-name.js';
import { knownPeople } from './known-people.js';

/**
 * Hands an action item to someone else or moves its due time: one `action.updated` with only
 * what changed. The due time is typed in the profile's zone, named beside the field.
 */
export function ActionDialog() {
  const actionId = useUiStore((s) => s.actionOpen);
  const setOpen = useUiStore((s) => s.setActionOpen);
  const incident = useCockpitStore((s) => s.incident);
  const action = incident?.actions.find((a) => a.id === actionId) ?? null;
  const ownerRef = useRef<HTMLInputElement>(null);
  const shown = incident !== null && action !== null;
  const { dialogProps } = useModalDialog(shown, () => ownerRef.current, () => close());
  const close = () => setOpen(null);
  return (
    <dialog {...dialogProps} className="form-dialog" aria-labelledby="action-heading">
      {shown && <ActionForm key={action.id} incident={incident} action={action} ownerRef={ownerRef} onDone={close} />}
    </dialog>
  );
}

function ActionForm({ incident, action, ownerRef, onDone }: { incident: IncidentState; action: ActionItem; ownerRef: RefObject<HTMLInputElement | null>; onDone: () => void }) {
  const me = useProfileStore((s) => s.profile);
  const timeline = useTimelineStore((s) => s.items);
  const zone = viewerZone(me);
  // Compared with what the dialog opened on, so a field a teammate changed meanwhile stands.
  const [opened] = useState(() => ({ owner: action.owner, due: action.due }));
  const [owner, setOwner] = useState(action.owner ?? '');
  const [due, setDue] = useState(() => toZonedInput(action.due ?? new Date(), zone));
  const [noDue, setNoDue] = useState(action.due === null);
  const { busy, error, setError, save } = useDialogSave(onDone);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const { payload, problem } = actionChange(opened, { owner, due, noDue }, zone);
    if (problem) return setError(problem);
    if (!payload) return onDone();
    await save(() => useCockpitStore.getState().appendTo(incident.id, 'action.updated', { target: action.id, ...payload }, { inDialog: true }));
  }

  return (
    <form onSubmit={submit}>
      <h2 id="action-heading">Reassign or re-date an action</h2>
      <p className="muted">{entryName(action.text, action.redacted, 120)}</p>
      <label>
        Owner
        <input ref={ownerRef} value={owner} onChange={(e) => setOwner(e.target.value)} list="action-people" autoComplete="off" placeholder="Nobody" />
      </label>
      <datalist id="action-people">
        {knownPeople(incident, timeline, me?.name ?? null).map((p) => (
          <option key={p} value={p} />
        ))}
      </datalist>
      <label>
        Due at ({zone})
        <input type="datetime-local" value={due} disabled={noDue} onChange={(e) => setDue(e.target.value)} />
      </label>
      <label className="check">
        <input type="checkbox" checked={noDue} onChange={(e) => setNoDue(e.target.checked)} /> No due time
      </label>
      <DialogFooter error={error} busy={busy} onCancel={onDone}>
        Save
      </DialogFooter>
    </form>
  );
}
