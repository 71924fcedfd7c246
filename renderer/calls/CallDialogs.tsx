import { useRef, useState, type FormEvent } from 'react';
import type { IncidentState } from '../../shared/domain/fold.js';
import { DialogFooter, useDialogSave } from '../dialogs/dialog-form.js';
import { useModalDialog } from '../dialogs/use-modal-dialog.js';
import { useCockpitStore } from '../stores/cockpit-store.js';
import { useCallsStore, type CallDialog } from './calls-store.js';
import { MinutesDialog } from './MinutesDialog.js';
import { PlanCallDialog } from './PlanCallDialog.js';

/**
 * The call bar's dialogs, one at a time: Start call, Add person, the End call confirmation, the
 * minutes and the planner. Each keeps what the person typed and shows the core's sentence when
 * a write is refused; Escape or Cancel closes it and focus goes back to the button that opened it.
 */
export function CallDialogs() {
  const dialog = useCallsStore((s) => s.dialog);
  const show = useCallsStore((s) => s.show);
  const incident = useCockpitStore((s) => s.incident);
  const shown = dialog !== null && incident !== null;
  const first = useRef<HTMLElement>(null);
  const { afterClose, dialogProps } = useModalDialog(shown, () => first.current, () => close());
  const close = () => {
    // Ending a call removes the End call button that opened the dialog: focus goes to the
    // minutes button that replaced it (or Start call), never to the page's body.
    afterClose(() => {
      if (document.activeElement && document.activeElement !== document.body) return;
      (document.querySelector<HTMLElement>('[data-call-minutes]') ?? document.querySelector<HTMLElement>('[data-call-start]'))?.focus();
    });
    show(null);
  };
  return (
    <dialog {...dialogProps} className={`form-dialog call-dialog${dialog?.kind === 'minutes' ? ' minutes-dialog' : ''}`} aria-labelledby="call-dialog-heading">
      {shown && <Body dialog={dialog} incident={incident} first={first} onDone={close} />}
    </dialog>
  );
}

interface BodyProps {
  incident: IncidentState;
  first: React.RefObject<HTMLElement | null>;
  onDone: () => void;
}

function Body({ dialog, ...props }: BodyProps & { dialog: CallDialog }) {
  switch (dialog.kind) {
    case 'start':
      return <StartCallForm {...props} />;
    case 'add-person':
      return <AddPersonForm {...props} callId={dialog.callId} />;
    case 'end':
      return <EndCallForm {...props} callId={dialog.callId} />;
    case 'minutes':
      return <MinutesDialog {...props} callId={dialog.callId} />;
    case 'plan':
      return <PlanCallDialog {...props} />;
  }
}

function StartCallForm({ incident, first, onDone }: BodyProps) {
  const [title, setTitle] = useState('');
  const [bridge, setBridge] = useState('');
  const { busy, error, save } = useDialogSave(onDone);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const payload = { ...(title.trim() ? { title: title.trim() } : {}), ...(bridge.trim() ? { bridge: bridge.trim() } : {}) };
    void save(() => useCockpitStore.getState().appendTo(incident.id, 'call.started', payload, { inDialog: true }));
  };
  return (
    <form onSubmit={submit}>
      <h2 id="call-dialog-heading">Start a call on {incident.ref}</h2>
      <label>
        What it is for (optional)
        <input ref={first as React.RefObject<HTMLInputElement>} value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} />
      </label>
      <label>
        Bridge: a link or a dial-in (optional)
        <input value={bridge} onChange={(e) => setBridge(e.target.value)} maxLength={500} placeholder="https://meet.example.com/…" />
      </label>
      <DialogFooter error={error} busy={busy} onCancel={onDone}>
        Start call
      </DialogFooter>
    </form>
  );
}

function AddPersonForm({ incident, first, onDone, callId }: BodyProps & { callId: string }) {
  const [name, setName] = useState('');
  const { busy, error, setError, save } = useDialogSave(onDone);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return setError('Type the name of who joined.');
    void save(() => useCallsStore.getState().attend(incident.id, callId, name.trim(), 'joined', { inDialog: true }));
  };
  return (
    <form onSubmit={submit}>
      <h2 id="call-dialog-heading">Add someone to the call</h2>
      <p className="muted">For someone who joined by phone. Teammates on this incident in Conn are added by their own cockpit.</p>
      <label>
        Name
        <input ref={first as React.RefObject<HTMLInputElement>} value={name} onChange={(e) => setName(e.target.value)} maxLength={80} />
      </label>
      <DialogFooter error={error} busy={busy} onCancel={onDone}>
        Add
      </DialogFooter>
    </form>
  );
}

function EndCallForm({ incident, first, onDone, callId }: BodyProps & { callId: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      // Opens the draft minutes in this same dialog.
      await useCallsStore.getState().end(incident.id, callId);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)}>
      <h2 id="call-dialog-heading">End the call for everyone?</h2>
      <p>Conn writes its minutes as a draft, for the scribe or the commander to check and publish.</p>
      {error && <p role="alert">{error}</p>}
      <div className="dialog-actions">
        <button type="button" ref={first as React.RefObject<HTMLButtonElement>} onClick={onDone}>
          Keep it running
        </button>
        <button type="submit" className="primary" disabled={busy}>
          End call
        </button>
      </div>
    </form>
  );
}
