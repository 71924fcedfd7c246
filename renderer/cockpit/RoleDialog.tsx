import { DialogFooter } from '../dialogs/dialog-form.js';
import { useRef, useState, type FormEvent, type RefObject } from 'react';
import type { IncidentState } from '../../shared/domain/fold.js';
import { STANDARD_ROLES } from '../../shared/domain/roles.js';
import { useModalDialog } from '../dialogs/use-modal-dialog.js';
import { useCockpitStore } from '../stores/cockpit-store.js';
import { useProfileStore } from '../stores/profile-store.js';
import { useTimelineStore } from '../stores/timeline-store.js';
import { useUiStore, type RoleTarget } from '../stores/ui-store.js';
import { knownPeople } from './known-people.js';

/**
 * "Assign a role…" from the palette, or a roster row's Assign / Unassign. From the palette the
 * person picks the role; from a row the role is that row's. The name starts empty, so an Enter
 * on opening assigns nobody by accident; the people the cockpit has seen are offered as
 * suggestions. Unassigning asks first and opens on Cancel. The core (or the hub) says why an
 * assignment is refused, e.g. only the commander hands over command: the sentence is shown here
 * and the dialog stays open, so nothing changes and nothing typed is lost.
 */
export function RoleDialog() {
  const open = useUiStore((s) => s.roleOpen);
  const target = useUiStore((s) => s.roleTarget);
  const setOpen = useUiStore((s) => s.setRoleOpen);
  const incident = useCockpitStore((s) => s.incident);
  const firstRef = useRef<HTMLElement>(null);
  const shown = open && incident !== null;
  const { afterClose, dialogProps } = useModalDialog(shown, () => firstRef.current, () => close());
  const close = () => setOpen(false);
  // The Unassign button that opened the dialog goes once nobody holds the role: focus lands on
  // the row's Assign instead of falling to the page.
  const unassigned = (role: string) => {
    afterClose(() => document.querySelector<HTMLElement>(`[data-assign-role="${CSS.escape(role)}"]`)?.focus());
    close();
  };
  return (
    <dialog {...dialogProps} className="role-dialog" aria-labelledby="role-heading">
      {shown &&
        (target?.unassign ? (
          <UnassignForm incident={incident} role={target.role} firstRef={firstRef} onDone={close} onUnassigned={() => unassigned(target.role)} />
        ) : (
          <AssignForm incident={incident} target={target} firstRef={firstRef} onDone={close} />
        ))}
    </dialog>
  );
}

interface FormProps {
  incident: IncidentState;
  firstRef: RefObject<HTMLElement | null>;
  onDone: () => void;
}

/** Writes one assignment; a refusal comes back as the core's sentence for the dialog to show. */
async function assign(incident: IncidentState, role: string, person: string | null): Promise<string | null> {
  try {
    await useCockpitStore.getState().appendTo(incident.id, 'role.assigned', { role, person }, { inDialog: true });
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

function AssignForm({ incident, target, firstRef, onDone }: FormProps & { target: RoleTarget | null }) {
  const me = useProfileStore((s) => s.profile?.name ?? null);
  const timeline = useTimelineStore((s) => s.items);
  const roles = [...new Set([...STANDARD_ROLES, ...Object.keys(incident.roles)])];
  const people = knownPeople(incident, timeline, me);
  const [role, setRole] = useState<string>(target?.role ?? 'commander');
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
    const refused = await assign(incident, role, name);
    setBusy(false);
    if (refused === null) onDone();
    else setError(refused);
  }

  return (
    <form onSubmit={submit}>
      <h2 id="role-heading">{target ? `Assign the ${target.role} role on ${incident.ref}` : `Assign a role on ${incident.ref}`}</h2>
      {target ? (
        <p className="muted">{holder ? `${holder} holds it now.` : 'Nobody holds it now.'}</p>
      ) : (
        <label>
          Role
          <select ref={firstRef as RefObject<HTMLSelectElement | null>} value={role} onChange={(e) => setRole(e.target.value)}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {r}
                {incident.roles[r]?.person ? ` (now ${incident.roles[r]?.person})` : ' (unassigned)'}
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        Person
        <input
          ref={(el) => {
            personRef.current = el;
            // From a roster row the role is chosen already: the caret starts in the name.
            if (target) firstRef.current = el;
          }}
          value={person}
          onChange={(e) => setPerson(e.target.value)}
          list="role-people"
          autoComplete="off"
          placeholder="Their name in Conn"
        />
      </label>
      <datalist id="role-people">
        {people.map((p) => (
          <option key={p} value={p} />
        ))}
      </datalist>
      <DialogFooter error={error} busy={busy} onCancel={onDone}>
        Assign
      </DialogFooter>
    </form>
  );
}

/** Who holds the role once it is unassigned: for command, the declarer again (shared/domain/commander.ts). */
function nextHolder(incident: IncidentState, role: string): string {
  return role === 'commander' && incident.declaredBy ? `${incident.declaredBy} commands as the declarer until someone is assigned` : 'nobody does';
}

function UnassignForm({ incident, role, firstRef, onDone, onUnassigned }: FormProps & { role: string; onUnassigned: () => void }) {
  const holder = incident.roles[role]?.person ?? null;
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function unassign() {
    setBusy(true);
    const refused = await assign(incident, role, null);
    setBusy(false);
    if (refused === null) onUnassigned();
    else setError(refused);
  }

  return (
    <div>
      <h2 id="role-heading">
        Unassign the {role} role on {incident.ref}?
      </h2>
      <p>{holder ? `${holder} holds it now; afterwards ${nextHolder(incident, role)}.` : 'Nobody holds it now.'}</p>
      {error && <p role="alert">{error}</p>}
      <div className="dialog-actions">
        <button type="button" ref={firstRef as RefObject<HTMLButtonElement | null>} onClick={onDone}>
          Cancel
        </button>
        <button type="button" className="danger" disabled={busy || holder === null} onClick={() => void unassign()}>
          Unassign {holder ?? ''}
        </button>
      </div>
    </div>
  );
}
