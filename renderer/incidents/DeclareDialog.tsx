import { useEffect, useRef, useState, type FormEvent } from 'react';
import { SEVERITIES, SEVERITY_MEANING, type Severity } from '../../shared/domain/severity.js';
import { useIncidentsStore } from '../stores/incidents-store.js';
import { parseServices, servicesProblem } from './incident-edit.js';
import { ServicesField } from './ServicesField.js';
import { dismissHandlers } from '../dialogs/use-modal-dialog.js';

/**
 * A modal <dialog>: the browser traps focus and closes it on Escape. Focus starts in "Title"
 * and returns to whatever opened the dialog. Title and severity are all it needs; services and
 * a summary can be given now (services feed the runbook suggestions) or later with Edit incident.
 */
export function DeclareDialog({ open, onClose, onDeclared }: { open: boolean; onClose: () => void; onDeclared: (id: string) => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleRef = useRef<HTMLInputElement>(null);
  const [title, setTitle] = useState('');
  const [severity, setSeverity] = useState<Severity>(2);
  const [services, setServices] = useState('');
  const [summary, setSummary] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const declare = useIncidentsStore((s) => s.declare);

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      setTitle('');
      setSeverity(2);
      setServices('');
      setSummary('');
      setError(null);
      d.showModal();
      titleRef.current?.focus();
    } else if (!open && d.open) d.close();
  }, [open]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!title.trim()) {
      setError('Give the incident a title: what is broken, for whom.');
      titleRef.current?.focus();
      return;
    }
    const list = parseServices(services);
    const problem = servicesProblem(list);
    if (problem) {
      setError(problem);
      return;
    }
    setBusy(true);
    try {
      const id = await declare({ title: title.trim(), severity, services: list, ...(summary.trim() ? { summary: summary.trim() } : {}) });
      onDeclared(id);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <dialog ref={ref} className="declare-dialog" aria-labelledby="declare-heading" {...dismissHandlers(ref, onClose)}>
      <form onSubmit={submit}>
        <h2 id="declare-heading">Declare an incident</h2>
        <label>
          Title
          <input ref={titleRef} name="title" value={title} onChange={(e) => setTitle(e.target.value)} autoComplete="off" />
        </label>
        <label>
          Severity
          <select name="severity" value={severity} onChange={(e) => setSeverity(Number(e.target.value) as Severity)}>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                SEV{s}: {SEVERITY_MEANING[s]?.split(':')[0]}
              </option>
            ))}
          </select>
        </label>
        <ServicesField value={services} onChange={setServices} />
        <label>
          <span>
            Summary <span className="muted">(optional, Markdown)</span>
          </span>
          <textarea name="summary" rows={3} value={summary} onChange={(e) => setSummary(e.target.value)} placeholder="What is known so far: who is affected, since when" />
        </label>
        {error && <p role="alert">{error}</p>}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            Declare
          </button>
        </div>
      </form>
    </dialog>
  );
}
