import { DialogFooter, useDialogSave } from '../dialogs/dialog-form.js';
import { useRef, useState, type FormEvent, type RefObject } from 'react';
import type { IncidentState } from '../../shared/domain/fold.js';
import { useModalDialog } from '../dialogs/use-modal-dialog.js';
import { useCockpitStore } from '../stores/cockpit-store.js';
import { useUiStore } from '../stores/ui-store.js';
import { editPayload, servicesText } from './incident-edit.js';
import { ServicesField } from './ServicesField.js';

/**
 * "Edit incident": title, summary (Markdown) and services, from the header's button or the
 * palette. It opens on the values as they are and writes one `incident.edited` with only the
 * fields that changed, so a teammate's edit of another field made meanwhile stands. A refusal
 * from the core is shown here and the dialog stays open with what was typed.
 */
export function EditIncidentDialog() {
  const open = useUiStore((s) => s.editOpen);
  const setOpen = useUiStore((s) => s.setEditOpen);
  const incident = useCockpitStore((s) => s.incident);
  const titleRef = useRef<HTMLInputElement>(null);
  const shown = open && incident !== null;
  const { dialogProps } = useModalDialog(shown, () => titleRef.current, () => close());
  const close = () => setOpen(false);
  return (
    <dialog {...dialogProps} className="form-dialog edit-dialog" aria-labelledby="edit-heading">
      {shown && <EditForm incident={incident} titleRef={titleRef} onDone={close} />}
    </dialog>
  );
}

function EditForm({ incident, titleRef, onDone }: { incident: IncidentState; titleRef: RefObject<HTMLInputElement | null>; onDone: () => void }) {
  // Compared with what the dialog opened on, not the live state: a field a teammate changed
  // while this was open, and that was not touched here, is not written back.
  const [opened] = useState(() => ({ title: incident.title, summary: incident.summary, services: incident.services }));
  const [title, setTitle] = useState(incident.title);
  const [summary, setSummary] = useState(incident.summary ?? '');
  const [services, setServices] = useState(servicesText(incident.services));
  const { busy, error, setError, save } = useDialogSave(onDone);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const { payload, problem } = editPayload(opened, { title, summary, services });
    if (problem) return setError(problem);
    if (!payload) return onDone();
    await save(() => useCockpitStore.getState().appendTo(incident.id, 'incident.edited', payload, { inDialog: true }));
  }

  return (
    <form onSubmit={submit}>
      <h2 id="edit-heading">Edit incident {incident.ref}</h2>
      <label>
        Title
        <input ref={titleRef} value={title} onChange={(e) => setTitle(e.target.value)} autoComplete="off" />
      </label>
      <label>
        <span>
          Summary <span className="muted">(Markdown)</span>
        </span>
        <textarea rows={5} value={summary} onChange={(e) => setSummary(e.target.value)} placeholder="What is known so far: who is affected, since when" />
      </label>
      <ServicesField value={services} onChange={setServices} />
      <DialogFooter error={error} busy={busy} onCancel={onDone}>
        Save
      </DialogFooter>
    </form>
  );
}
