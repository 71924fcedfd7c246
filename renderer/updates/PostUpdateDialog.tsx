import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { IncidentState } from '../../shared/domain/fold.js';
import { UPDATE_AUDIENCES, type UpdateAudience } from '../../shared/reports/update-draft.js';
import { rpc } from '../api/client.js';
import { DialogFooter, useDialogSave } from '../dialogs/dialog-form.js';
import { useModalDialog } from '../dialogs/use-modal-dialog.js';
import { useCockpitStore } from '../stores/cockpit-store.js';
import { Time } from '../time/Time.js';
import { useUpdatesStore } from './updates-store.js';
import { CadenceSummary } from './CadenceSummary.js';

/**
 * "Post update": a draft from the incident's state (the core's `updates.draft`) for the
 * commander or comms lead to edit, for one audience. Changing the audience redrafts only while
 * the text is still the draft, so nothing typed is thrown away. Posting is one `update.posted`;
 * the hub then delivers it to the team's channels.
 */
export function PostUpdateDialog() {
  const open = useUpdatesStore((s) => s.dialogOpen);
  const setOpen = useUpdatesStore((s) => s.setDialogOpen);
  const incident = useCockpitStore((s) => s.incident);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const shown = open && incident !== null;
  const { dialogProps } = useModalDialog(shown, () => textRef.current, () => close());
  const close = () => setOpen(false);
  return (
    <dialog {...dialogProps} className="form-dialog update-dialog" aria-labelledby="update-heading">
      {shown && <UpdateForm incident={incident} textRef={textRef} onDone={close} />}
    </dialog>
  );
}

function UpdateForm({ incident, textRef, onDone }: { incident: IncidentState; textRef: React.RefObject<HTMLTextAreaElement | null>; onDone: () => void }) {
  const [audience, setAudience] = useState<UpdateAudience>('internal');
  const [text, setText] = useState('');
  const [drafted, setDrafted] = useState<string | null>(null);
  const [nextDue, setNextDue] = useState<string | null>(null);
  const { busy, error, setError, save } = useDialogSave(onDone);

  useEffect(() => {
    let live = true;
    rpc()
      .call('updates.draft', { incidentId: incident.id, audience })
      .then((d) => {
        if (!live) return;
        setNextDue(d.nextUpdateDueAt);
        // Only replace what is still the untouched draft.
        setText((current) => (drafted === null || current === drafted ? d.text : current));
        setDrafted(d.text);
      })
      .catch((e: unknown) => live && setError((e as Error).message));
    return () => {
      live = false;
    };
    // Redraft on a new audience only; `drafted` is read as it was then.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [incident.id, audience]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const body = text.trim();
    if (!body) return setError('The update is empty: write what stakeholders need to know.');
    await save(async () => {
      await useCockpitStore.getState().appendTo(incident.id, 'update.posted', { text: body, audience }, { inDialog: true });
      void useUpdatesStore.getState().refresh();
    });
  }

  return (
    <form onSubmit={submit}>
      <h2 id="update-heading">Post update for {incident.ref}</h2>
      <fieldset className="audience">
        <legend>Audience</legend>
        {UPDATE_AUDIENCES.map((a) => (
          <label key={a} className="chip">
            <input type="radio" name="update-audience" value={a} checked={audience === a} onChange={() => setAudience(a)} />
            {a[0]!.toUpperCase() + a.slice(1)}
          </label>
        ))}
      </fieldset>
      <label>
        Update
        <textarea ref={textRef} rows={10} value={text} onChange={(e) => setText(e.target.value)} aria-describedby="update-next" />
      </label>
      <p id="update-next" className="muted">
        {nextDue ? (
          <>
            Posting it resets the countdown: the next update will be due <Time iso={nextDue} />.
          </>
        ) : (
          'No further update is owed for this incident.'
        )}
      </p>
      <CadenceSummary />
      <DialogFooter error={error} busy={busy} onCancel={onDone}>
        Post update
      </DialogFooter>
    </form>
  );
}
