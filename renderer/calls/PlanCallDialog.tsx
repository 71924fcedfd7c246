import { useMemo, useState, type FormEvent } from 'react';
import type { IncidentState } from '../../shared/domain/fold.js';
import { planCall, type CallSlot } from '../../shared/time/plan-call.js';
import { formatInZone } from '../../shared/time/zone.js';
import { DialogFooter, useDialogSave } from '../dialogs/dialog-form.js';
import { useCockpitStore } from '../stores/cockpit-store.js';
import { useProfileStore, viewerZone } from '../stores/profile-store.js';
import { useTeamStore } from '../stores/team-store.js';

interface Props {
  incident: IncidentState;
  first: React.RefObject<HTMLElement | null>;
  onDone: () => void;
}

const LENGTHS = [15, 30, 45, 60, 90];

/**
 * Plan a call with teammates in other zones, as `conn call plan` does: the next slots, most
 * attendees inside their working hours first, each shown on every attendee's own clock. Choosing
 * one writes a call.planned; the call bar and the digest show it, and its attendees' cockpits
 * notify them when it starts. Teammates are those whose profiles the hub shared (profiles.list).
 */
export function PlanCallDialog({ incident, first, onDone }: Props) {
  const profiles = useTeamStore((s) => s.profiles);
  const zone = viewerZone(useProfileStore((s) => s.profile));
  const [chosen, setChosen] = useState<string[]>([]);
  const [lengthMin, setLengthMin] = useState(30);
  const [title, setTitle] = useState('');
  const [slotStart, setSlotStart] = useState<string | null>(null);
  const { busy, error, setError, save } = useDialogSave(onDone);
  const self = profiles.find((p) => p.self);
  const others = profiles.filter((p) => !p.self);

  // Proposed from the moment the dialog opened, so the list does not shift under the person's choice.
  const [from] = useState(() => new Date());
  const slots: CallSlot[] = useMemo(() => {
    const attendees = profiles.filter((p) => p.self || chosen.includes(p.name)).map((p) => ({ name: p.name, timeZone: p.timeZone, workingHours: p.workingHours }));
    if (attendees.length === 0) return [];
    try {
      return planCall({ attendees, lengthMin, from, count: 5 });
    } catch {
      return [];
    }
  }, [profiles, chosen, lengthMin, from]);

  const toggle = (name: string) => {
    setSlotStart(null);
    setChosen((c) => (c.includes(name) ? c.filter((n) => n !== name) : [...c, name]));
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const slot = slots.find((s) => s.start === slotStart);
    if (!slot) return setError('Choose one of the proposed times.');
    const payload = { at: slot.start, lengthMin, attendees: slot.attendees.map((a) => a.name), ...(title.trim() ? { title: title.trim() } : {}) };
    void save(() => useCockpitStore.getState().appendTo(incident.id, 'call.planned', payload, { inDialog: true }));
  };

  return (
    <form onSubmit={submit} className="plan-call">
      <h2 id="call-dialog-heading" tabIndex={-1} ref={first as React.RefObject<HTMLHeadingElement>}>
        Plan a call on {incident.ref}
      </h2>
      <fieldset>
        <legend>Who must attend (you{self ? `, ${self.name},` : ''} are on it)</legend>
        {others.length === 0 && <p className="muted">No teammates' profiles yet: they arrive from the hub once teammates connect.</p>}
        {others.map((p) => (
          <label key={p.name} className="check">
            <input type="checkbox" checked={chosen.includes(p.name)} onChange={() => toggle(p.name)} /> {p.name} ({p.timeZone}, {p.workingHours})
          </label>
        ))}
      </fieldset>
      <label>
        Length
        <select value={lengthMin} onChange={(e) => (setSlotStart(null), setLengthMin(Number(e.target.value)))}>
          {LENGTHS.map((m) => (
            <option key={m} value={m}>
              {m} minutes
            </option>
          ))}
        </select>
      </label>
      <label>
        What it is for (optional)
        <input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} placeholder="Follow-up, retrospective review…" />
      </label>
      <fieldset>
        <legend>Proposed times, most people inside their working hours first</legend>
        <ol className="slots">
          {slots.map((s) => (
            <li key={s.start}>
              <label className="check">
                <input type="radio" name="slot" checked={slotStart === s.start} onChange={() => setSlotStart(s.start)} />
                {formatInZone(s.start, zone, { seconds: false })} — {s.inside} of {s.attendees.length} inside working hours
              </label>
              <ul className="slot-clocks" aria-label="Each attendee's local time">
                {s.attendees.map((a) => (
                  <li key={a.name}>
                    {a.inside ? "✓" : "✗"} {a.name}: {a.localStart}
                    {a.inside ? '' : ' (outside working hours)'}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      </fieldset>
      <DialogFooter error={error} busy={busy} onCancel={onDone}>
        Schedule
      </DialogFooter>
    </form>
  );
}
