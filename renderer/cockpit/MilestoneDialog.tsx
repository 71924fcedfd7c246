import { DialogFooter, useDialogSave } from '../dialogs/dialog-form.js';
import { useRef, useState, type FormEvent, type RefObject } from 'react';
import type { Milestone } from '../../shared/domain/events.js';
import type { IncidentState } from '../../shared/domain/fold.js';
import { useModalDialog } from '../dialogs/use-modal-dialog.js';
import { useCockpitStore } from '../stores/cockpit-store.js';
import { useProfileStore, viewerZone } from '../stores/profile-store.js';
import { useUiStore } from '../stores/ui-store.js';
import { Time } from '../time/Time.js';
import { fromZonedInput, toZonedInput } from '../time/zoned-input.js';
import { MILESTONE_LABELS } from './milestone-labels.js';

/** A minute of slack: a clock a little ahead of the core's should not refuse "now". */
const FUTURE_SLACK_MS = 60_000;

/**
 * Sets one milestone by hand (`milestone.set`), usually back-dating it. The time is typed in
 * the profile's zone, the one the cockpit shows times in, and named beside the field; it is
 * saved as UTC. It opens on the milestone's current time, or now when it has none.
 */
export function MilestoneDialog() {
  const milestone = useUiStore((s) => s.milestoneOpen);
  const setOpen = useUiStore((s) => s.setMilestoneOpen);
  const incident = useCockpitStore((s) => s.incident);
  const inputRef = useRef<HTMLInputElement>(null);
  const shown = milestone !== null && incident !== null;
  const { dialogProps } = useModalDialog(shown, () => inputRef.current, () => close());
  const close = () => setOpen(null);
  return (
    <dialog {...dialogProps} className="form-dialog" aria-labelledby="milestone-heading">
      {shown && <MilestoneForm key={milestone} incident={incident} milestone={milestone} inputRef={inputRef} onDone={close} />}
    </dialog>
  );
}

function MilestoneForm({ incident, milestone, inputRef, onDone }: { incident: IncidentState; milestone: Milestone; inputRef: RefObject<HTMLInputElement | null>; onDone: () => void }) {
  const zone = viewerZone(useProfileStore((s) => s.profile));
  const current = incident.milestones[milestone];
  const [value, setValue] = useState(() => toZonedInput(current ?? new Date(), zone));
  const { busy, error, setError, save } = useDialogSave(onDone);
  const label = MILESTONE_LABELS[milestone];

  async function submit(e: FormEvent) {
    e.preventDefault();
    const at = fromZonedInput(value, zone);
    if (at === null) return setError('Type a date and a time, e.g. 2026-11-28 09:12.');
    if (Date.parse(at) > Date.now() + FUTURE_SLACK_MS) return setError('That time is in the future: a milestone records when something happened.');
    if (current !== null && Date.parse(at) === Date.parse(current)) return onDone();
    await save(() => useCockpitStore.getState().appendTo(incident.id, 'milestone.set', { milestone, at }, { inDialog: true }));
  }

  return (
    <form onSubmit={submit}>
      <h2 id="milestone-heading">
        Set “{label}” on {incident.ref}
      </h2>
      <p className="muted">{current ? <>Now <Time iso={current} />.</> : 'Not reached yet.'}</p>
      <label>
        {label} at ({zone})
        <input ref={inputRef} type="datetime-local" value={value} onChange={(e) => setValue(e.target.value)} />
      </label>
      <DialogFooter error={error} busy={busy} onCancel={onDone}>
        Set {label.toLowerCase()}
      </DialogFooter>
    </form>
  );
}
