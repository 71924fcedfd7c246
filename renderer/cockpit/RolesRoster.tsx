import { commanderOf } from '../../shared/domain/commander.js';
import type { IncidentState } from '../../shared/domain/fold.js';
import { STANDARD_ROLES } from '../../shared/domain/roles.js';
import { isWithinWorkingHours, localClock } from '../../shared/time/zone.js';
import { useProfileStore } from '../stores/profile-store.js';
import { useUiStore } from '../stores/ui-store.js';
import { useNow } from '../time/use-now.js';

/**
 * Who holds which role, and whether it is a sane hour for them. Only the viewer's own profile
 * is known locally; for anyone else the roster says so rather than guessing a zone. While
 * nobody is assigned, the declarer commands (the hub's rule too) and is shown so: "Ada (declarer)".
 * The standard roles are always listed, free or not, each with Assign (and Unassign while
 * someone is assigned: the declarer's command is not an assignment to take back).
 */
export function RolesRoster({ incident }: { incident: IncidentState }) {
  const me = useProfileStore((s) => s.profile);
  const setRoleOpen = useUiStore((s) => s.setRoleOpen);
  const now = new Date(useNow(30_000));
  const roles = [...new Set([...STANDARD_ROLES, ...Object.keys(incident.roles)])];
  return (
    <section className="panel" aria-labelledby="roster-heading">
      <h2 id="roster-heading">Roles</h2>
      <ul className="roster">
        {roles.map((role) => {
          const commander = role === 'commander' ? commanderOf(incident) : null;
          const assigned = incident.roles[role]?.person ?? null;
          const person = commander?.person ?? assigned;
          const known = me && person === me.name ? me : null;
          return (
            <li key={role}>
              <span className="role">{role}</span>
              <span className="person">
                {person ?? <span className="muted">unassigned</span>}
                {commander?.declarer && <span className="muted"> (declarer)</span>}
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
              {known && (
                <span className={`roster-note ${isWithinWorkingHours(known.workingHours, known.timeZone, now) ? 'hours in' : 'hours out'}`}>
                  {localClock(now, known.timeZone)} {known.timeZone} ·{' '}
                  {isWithinWorkingHours(known.workingHours, known.timeZone, now) ? 'working hours' : 'outside working hours'}
                </span>
              )}
              {person && !known && <span className="roster-note muted">local time unknown: no profile here</span>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
