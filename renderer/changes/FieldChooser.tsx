import { useRef, useState, type FormEvent, type KeyboardEvent, type RefObject } from 'react';
import type { IncidentState } from '../../shared/domain/fold.js';
import { SEVERITIES, SEVERITY_MEANING, type Severity } from '../../shared/domain/severity.js';
import { STATUSES, STATUS_MEANING, type Status } from '../../shared/domain/status.js';
import { useModalDialog } from '../dialogs/use-modal-dialog.js';
import { useCockpitStore } from '../stores/cockpit-store.js';
import { useUiStore } from '../stores/ui-store.js';
import type { FieldChange } from './change-rules.js';
import { useChangeStore } from './change-store.js';

type Field = 'status' | 'severity';

interface Option {
  value: string;
  label: string;
  meaning: string;
}

function optionsOf(field: Field): Option[] {
  return field === 'status'
    ? STATUSES.map((s) => ({ value: s, label: s, meaning: STATUS_MEANING[s] }))
    : SEVERITIES.map((s) => ({ value: String(s), label: `SEV${s}`, meaning: SEVERITY_MEANING[s]?.split(':')[0] ?? '' }));
}

function currentOf(field: Field, incident: IncidentState): string {
  return field === 'status' ? incident.status : String(incident.severity);
}

function changeOf(field: Field, incident: IncidentState, value: string): FieldChange {
  const base = { incidentId: incident.id, ref: incident.ref };
  return field === 'status'
    ? { ...base, field, from: incident.status, to: value as Status }
    : { ...base, field, from: incident.severity, to: Number(value) as Severity };
}

/**
 * S and V: the status or severity as a radio group that opens on the current value, focused.
 * Nothing is pre-selected for change: Enter on the current value just closes, so S then Enter
 * changes nothing. An arrow key and Enter is a deliberate choice; it then goes through the
 * change store, which asks before resolving, closing or lowering severity.
 */
export function FieldChooser() {
  const field = useUiStore((s) => s.chooser);
  const setChooser = useUiStore((s) => s.setChooser);
  const incident = useCockpitStore((s) => s.incident);
  const checkedRef = useRef<HTMLInputElement>(null);
  const open = field !== null && incident !== null;
  const { afterClose, dialogProps } = useModalDialog(open, () => checkedRef.current, () => setChooser(null));

  const choose = (change: FieldChange | null) => {
    // The change waits until focus is back on the page, so its confirmation returns focus there.
    if (change && change.from !== change.to) afterClose(() => void useChangeStore.getState().request(change));
    setChooser(null);
  };

  return (
    <dialog {...dialogProps} className="chooser-dialog" aria-labelledby="chooser-heading">
      {open && <ChooserForm key={`${field}:${incident.id}`} field={field} incident={incident} checkedRef={checkedRef} onChoose={choose} />}
    </dialog>
  );
}

function ChooserForm({
  field,
  incident,
  checkedRef,
  onChoose,
}: {
  field: Field;
  incident: IncidentState;
  checkedRef: RefObject<HTMLInputElement | null>;
  onChoose: (change: FieldChange | null) => void;
}) {
  const current = currentOf(field, incident);
  const [choice, setChoice] = useState(current);
  const title = field === 'status' ? 'Change status' : 'Change severity';
  const options = optionsOf(field);
  const chosen = options.find((o) => o.value === choice)?.label ?? choice;

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    onChoose(changeOf(field, incident, choice));
  };
  // Enter on a radio submits here in every browser (Chromium alone would do it natively).
  const onRadioKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    submit();
  };

  return (
    <form onSubmit={submit}>
      <h2 id="chooser-heading">
        {title} of {incident.ref}
      </h2>
      <fieldset className="choices">
        <legend>{field === 'status' ? 'Status' : 'Severity'}</legend>
        {options.map((o) => (
          <label key={o.value} className="choice">
            <input
              type="radio"
              name={`chooser-${field}`}
              value={o.value}
              checked={choice === o.value}
              onChange={() => setChoice(o.value)}
              onKeyDown={onRadioKey}
              ref={o.value === current ? checkedRef : undefined}
            />
            <span className="choice-name">
              {o.label}
              {o.value === current && ' (current)'}
            </span>
            <span className="choice-meaning">{o.meaning}</span>
          </label>
        ))}
      </fieldset>
      <div className="dialog-actions">
        <button type="button" onClick={() => onChoose(null)}>
          Cancel
        </button>
        <button type="submit" className="primary">
          {choice === current ? `Keep ${chosen}` : `Set ${field} to ${chosen}`}
        </button>
      </div>
    </form>
  );
}
