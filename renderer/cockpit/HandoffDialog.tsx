import { useEffect, useRef, useState, type FormEvent, type RefObject } from 'react';
import type { IncidentState } from '../../shared/domain/fold.js';
import { STANDARD_ROLES } from '../../shared/domain/roles.js';
import { outsideHoursNote } from '../../shared/time/off-hours.js';
import { rpc } from '../api/client.js';
import { DialogFooter, useDialogSave } from '../dialogs/dialog-form.js';
import { useModalDialog } from '../dialogs/use-modal-dialog.js';
import { useCockpitStore } from '../stores/cockpit-store.js';
import { useProfileStore } from '../stores/profile-store.js';
import { profileNamed, useTeamStore } from '../stores/team-store.js';
import { useTimelineStore } from '../stores/timeline-store.js';
import { useUiStore } from '../stores/ui-store.js';
import { useNow } from '../time/use-now.js';
import { knownPeople } from './known-people.js';

/** Typing a name redrafts the brief once the typing pauses, not at every key. */
const REDRAFT_MS = 400;

/**
 * "Hand off…": offers a role (command by default) to a named teammate or to whoever takes it,
 * with the brief the core drafts (handoff.draft: impact and what changed, hypotheses and what was
 * ruled out, owners of open actions, communications and the next update due) in the recipient's
 * zone, for editing before it is sent as handoff.offered. Changing the role or the person
 * redrafts it until the person edits it; "Draft again" throws the edits away. Offering is the
 * holder's right (the authority rule): a refusal is shown here and nothing is sent.
 */
export function HandoffDialog() {
  const open = useUiStore((s) => s.handoffOpen);
  const setOpen = useUiStore((s) => s.setHandoffOpen);
  const incident = useCockpitStore((s) => s.incident);
  const roleRef = useRef<HTMLSelectElement>(null);
  const shown = open && incident !== null;
  const { dialogProps } = useModalDialog(shown, () => roleRef.current, () => close());
  const close = () => setOpen(false);
  return (
    <dialog {...dialogProps} className="form-dialog handoff-dialog" aria-labelledby="handoff-heading">
      {shown && <HandoffForm key={incident.id} incident={incident} roleRef={roleRef} onDone={close} />}
    </dialog>
  );
}

function HandoffForm({ incident, roleRef, onDone }: { incident: IncidentState; roleRef: RefObject<HTMLSelectElement | null>; onDone: () => void }) {
  const me = useProfileStore((s) => s.profile);
  const team = useTeamStore((s) => s.profiles);
  const timeline = useTimelineStore((s) => s.items);
  const now = new Date(useNow(30_000));
  const roles = [...new Set([...STANDARD_ROLES, ...Object.keys(incident.roles)])];
  const people = [...new Set([...team.filter((p) => !p.self).map((p) => p.name), ...knownPeople(incident, timeline, null)])].filter(
    (p) => p.toLowerCase() !== me?.name.toLowerCase(),
  );
  const [role, setRole] = useState('commander');
  const [to, setTo] = useState('');
  const [brief, setBrief] = useState('');
  const [edited, setEdited] = useState(false);
  const [drafting, setDrafting] = useState(true);
  const [zone, setZone] = useState<string | null>(null);
  const { busy, error, setError, save } = useDialogSave(onDone);
  const recipient = to.trim() || null;
  const theirs = recipient ? profileNamed(team, recipient) : undefined;
  const offHours = outsideHoursNote(theirs, now);

  useEffect(() => {
    if (edited) return;
    let current = true;
    setDrafting(true);
    const timer = setTimeout(() => {
      rpc()
        .call('handoff.draft', { incidentId: incident.id, role, to: recipient })
        .then(
          (d) => {
            if (!current) return;
            setBrief(d.brief);
            setZone(d.timeZone);
          },
          (e: unknown) => current && setError((e as Error).message),
        )
        .finally(() => current && setDrafting(false));
    }, REDRAFT_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // The incident's id, not its state: a teammate's entry arriving must not overwrite the draft being read.
  }, [incident.id, role, recipient, edited, setError]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!brief.trim()) return setError('Write a brief for whoever takes over, or draft it again.');
    await save(() => useCockpitStore.getState().appendTo(incident.id, 'handoff.offered', { role, to: recipient, brief }, { inDialog: true }));
  }

  return (
    <form onSubmit={submit}>
      <h2 id="handoff-heading">Hand off a role on {incident.ref}</h2>
      <label>
        Role
        <select ref={roleRef} value={role} onChange={(e) => setRole(e.target.value)}>
          {roles.map((r) => (
            <option key={r} value={r}>
              {r}
              {incident.roles[r]?.person ? ` (now ${incident.roles[r]?.person})` : ''}
            </option>
          ))}
        </select>
      </label>
      <label>
        To
        <input value={to} onChange={(e) => setTo(e.target.value)} list="handoff-people" autoComplete="off" placeholder="Anyone who takes it" />
      </label>
      <datalist id="handoff-people">
        {people.map((p) => (
          <option key={p} value={p} />
        ))}
      </datalist>
      <p className="muted" aria-live="polite">
        {recipient ? `Only ${recipient} can accept it.` : 'Anyone on the team can accept it.'}
        {offHours && <span className="hours out"> {recipient} is {offHours}: the offer waits in their digest.</span>}
      </p>
      {/* Its own label, not wrapped: a wrapping label's name would take in the brief's words. */}
      <label htmlFor="handoff-brief">Brief{zone ? ` (times in ${zone})` : ''}</label>
      <textarea
        id="handoff-brief"
        value={brief}
        rows={14}
        onChange={(e) => {
          setBrief(e.target.value);
          setEdited(true);
        }}
        aria-busy={drafting}
        placeholder={drafting ? 'Drafting the brief from the timeline…' : ''}
      />
      <button type="button" disabled={!edited} onClick={() => setEdited(false)}>
        Draft again
      </button>
      <DialogFooter error={error} busy={busy || drafting} onCancel={onDone}>
        Offer {role}
      </DialogFooter>
    </form>
  );
}
