import { useRef, useState, type FormEvent, type RefObject } from 'react';
import type { IncidentState } from '../../shared/domain/fold.js';
import { STANDARD_ROLES } from '../../shared/domain/roles.js';
import { useModalDialog } from '../dialogs/use-modal-dialog.js';
import { useCockpitStore } from '../stores/cockpit-store.js';
import { useProfileStore } from '../stores/profile-store.js';
import { useUiStore } from '../stores/ui-store.js';

/**
 * "Assign a role…" from the palette: the role and who takes it. The name starts empty, so an
 * Enter on opening assigns nobody by accident; the people already on the incident are offered
 * as suggestions. The core (or the hub) says why an assignment is refused, e.g. only the
 * commander hands over command.
 */
export function RoleDialog() {
  const open = useUiStore((s) => s.roleOpen);
  const setOpen = useUiStore((s) => s.setRoleOpen);
  const incident = useCockpitStore((s) => s.incident);
  const roleRef = useRef<HTMLSelectElement>(null);
  const shown = open && incident !== null;
  const { ref, onKeyDown } = useModalDialog(shown, () => roleRef.current);
  return (
    <dialog ref={ref} className="role-dialog" aria-labelledby="role-heading" onClose={() => setOpen(false)} onKeyDown={onKeyDown}>
      {shown && <RoleForm key={incident.id} incident={incident} roleRef={roleRef} onDone={() => setOpen(false)} />}
    </dialog>
  );
}

function RoleForm({ incident, roleRef, onDone }: { incident: IncidentState; roleRef: RefObject<HTMLSelectElement | null>; onDone: () => void }) {
  const me = useProfileStore((s) => s.profile?.name ?? null);
  const roles = [...new Set([...STANDARD_ROLES, ...Object.keys(incident.roles)])];
  const people = [...new Set([...(me ? [me] : []), ...Object.values(incident.roles).flatMap((r) => (r.person ? [r.person] : []))])];
  const [role, setRole] = useState<string>('commander');
  const [person, setPerson] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const personRef = useRef<HTMLInputElement>(null);
  const holder = incident.roles[role]?.person ?? null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const name = person.trim();
    if (!name) {
      setError('Type who takes the role.');
      personRef.current?.focus();
      return;
    }
    if (name === holder) return onDone();
    setBusy(true);
    try {
      await useCockpitStore.getState().appendTo(incident.id, 'role.assigned', { role, person: name });
      onDone();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit}>
      <h2 id="role-heading">Assign a role on {incident.ref}</h2>
      <label>
        Role
        <select ref={roleRef} value={role} onChange={(e) => setRole(e.target.value)}>
          {roles.map((r) => (
            <option key={r} value={r}>
              {r}
              {incident.roles[r]?.person ? ` (now ${incident.roles[r]?.person})` : ' (unassigned)'}
            </option>
          ))}
        </select>
      </label>
      <label>
        Person
        <input ref={personRef} value={person} onChange={(e) => setPerson(e.target.value)} list="role-people" autoComplete="off" placeholder="Their name in Conn" />
      </label>
      <datalist id="role-people">
        {people.map((p) => (
          <option key={p} value={p} />
        ))}
      </datalist>
      {error && <p role="alert">{error}</p>}
      <div className="dialog-actions">
        <button type="button" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={busy}>
          Assign
        </button>
      </div>
    </form>
  );
}
