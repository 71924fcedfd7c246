import { commanderOf } from '../../shared/domain/commander.js';
import type { IncidentState } from '../../shared/domain/fold.js';
import { STANDARD_ROLES } from '../../shared/domain/roles.js';
import type { TeamProfile } from '../../shared/api/results.js';
import { isWorkingAt } from '../../shared/time/working-hours.js';
import { localClock } from '../../shared/time/zone.js';
import { usePresenceStore } from '../stores/presence-store.js';
import { useProfileStore } from '../stores/profile-store.js';
import { profileNamed, useTeamStore } from '../stores/team-store.js';
import { useUiStore } from '../stores/ui-store.js';
import { useNow } from '../time/use-now.js';

/**
 * Who holds which role, and whether it is a sane hour for them: each holder's local time and
 * working hours come from the team's profiles (published through the hub, kept locally), and a
 * holder whose cockpit shows this incident right now (presence) is marked "online now". For
 * someone without a profile the roster says so rather than guessing a zone. While
 * nobody is assigned, the declarer commands (the hub's rule too) and is shown so: "Ada (declarer)".
 * The standard roles are always listed, free or not, each with Assign (and Unassign while
 * someone is assigned: the declarer's command is not an assignment to take back).
 */
export function RolesRoster({ incident }: { incident: IncidentState }) {
  const me = useProfileStore((s) => s.profile);
  const team = useTeamStore((s) => s.profiles);
  const present = usePresenceStore((s) => (s.watching === incident.id ? s.others : null));
  const setRoleOpen = useUiStore((s) => s.setRoleOpen);
  const setHandoffOpen = useUiStore((s) => s.setHandoffOpen);
  const now = new Date(useNow(30_000));
  const roles = [...new Set([...STANDARD_ROLES, ...Object.keys(incident.roles)])];
  return (
    <section className="panel" aria-labelledby="roster-heading">
      <h2 id="roster-heading">Roles</h2>
      <button type="button" className="panel-action" onClick={() => setHandoffOpen(true)}>
        Hand off…
      </button>
      <ul className="roster">
        {roles.map((role) => {
          const commander = role === 'commander' ? commanderOf(incident) : null;
          const assigned = incident.roles[role]?.person ?? null;
          const person = commander?.person ?? assigned;
          const known: Pick<TeamProfile, 'timeZone' | 'workingHours'> | null =
            (person ? profileNamed(team, person) : undefined) ?? (me && person === me.name ? me : null);
          const online = person !== null && (present ?? []).some((m) => m.name.toLowerCase() === person.toLowerCase());
          return (
            <li key={role}>
              <span className="role">{role}</span>
              <span className="person">
                {person ?? <span className="muted">unassigned</span>}
                {commander?.declarer && <span className="muted"> (declarer)</span>}
                {online && (
                  <span className="online">
                    <span className="dot" aria-hidden="true" />
                    online now
                  </span>
                )}
              </span>
              <span className="row-actions">
                <button type="button" aria-label={`Assign ${role}`} data-assign-role={role} onClick={() => setRoleOpen(true, { role, unassign: false })}>
                  Assign
                </button>
                {assigned && (
                  <button type="button" aria-label={`Unassign ${role}`} onClick={() => setRoleOpen(true, { role, unassign: true })}>
                    Unassign
                  </button>
                )}
              </span>
              {person && known && <HoursNote profile={known} now={now} />}
              {person && !known && <span className="roster-note muted">local time unknown: no profile here</span>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** "14:05 Asia/Kolkata · working hours (09:00-17:00)", in the holder's row, so it reads as theirs. */
function HoursNote({ profile, now }: { profile: Pick<TeamProfile, 'timeZone' | 'workingHours'>; now: Date }) {
  const clock = localClock(now, profile.timeZone);
  const working = isWorkingAt(profile.workingHours, profile.timeZone, now);
  const hours = working ? 'working hours' : 'outside working hours';
  return (
    <span className={`roster-note ${working ? 'hours in' : 'hours out'}`} title={`working hours ${profile.workingHours} in ${profile.timeZone}`}>
      {clock} {profile.timeZone} · {hours}
    </span>
  );
}
