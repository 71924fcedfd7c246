import { conflictText, type IncidentState } from '../../shared/domain/fold.js';
import { SEVERITIES, type Severity } from '../../shared/domain/severity.js';
import { STATUSES, STATUS_MEANING, type Status } from '../../shared/domain/status.js';
import { formatDuration } from '../../shared/time/zone.js';
import { SeverityBadge } from '../incidents/SeverityBadge.js';
import { UpdateCountdown } from '../incidents/UpdateCountdown.js';
import { useChangeStore } from '../changes/change-store.js';
import { useUiStore } from '../stores/ui-store.js';
import { useNow } from '../time/use-now.js';
import { PresenceLine } from './PresenceLine.js';

/*
 * The incident's headline and its two most-changed fields. The selects are named "Change
 * status" and "Change SEV level" so they never collide with the declare dialog's "Severity".
 * They ask through the change store like the palette does: resolving, closing and lowering
 * severity wait for a confirmation (the controlled select snaps back if it is cancelled), and
 * every change is offered for undo. The services the incident touches sit beside them, and
 * "Edit incident" changes those, the title and the summary (shown in the side panel).
 */
export function CockpitHeader({ incident }: { incident: IncidentState }) {
  const request = useChangeStore((s) => s.request);
  const setEditOpen = useUiStore((s) => s.setEditOpen);
  const setView = useUiStore((s) => s.setView);
  const base = { incidentId: incident.id, ref: incident.ref };
  const now = useNow();
  return (
    <header className="cockpit-header">
      <div className="cockpit-title">
        <h1>
          <SeverityBadge severity={incident.severity} /> <span className="ref">{incident.ref}</span> {incident.title}
        </h1>
        <button type="button" onClick={() => setEditOpen(true)}>
          Edit incident
        </button>
        <button type="button" onClick={() => setView('retro')}>
          Retrospective
        </button>
      </div>
      <div className="cockpit-facts">
        <label>
          Change status
          <select
            value={incident.status}
            title={STATUS_MEANING[incident.status]}
            onChange={(e) => void request({ ...base, field: 'status', from: incident.status, to: e.target.value as Status })}
          >
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Change SEV level
          <select value={incident.severity} onChange={(e) => void request({ ...base, field: 'severity', from: incident.severity, to: Number(e.target.value) as Severity })}>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                SEV{s}
              </option>
            ))}
          </select>
        </label>
        <span>{incident.declaredAt ? `open ${formatDuration(now - Date.parse(incident.declaredAt))}` : ''}</span>
        <UpdateCountdown dueAt={incident.nextUpdateDueAt} now={now} />
        {incident.services.length > 0 ? (
          <ul className="services" aria-label="Services">
            {incident.services.map((s) => (
              <li key={s} className="service-chip">
                {s}
              </li>
            ))}
          </ul>
        ) : (
          <span>no services named</span>
        )}
      </div>
      <PresenceLine incidentId={incident.id} />
      {incident.conflicts.length > 0 && (
        <ul className="conflicts" aria-label="Concurrent changes">
          {incident.conflicts.map((c) => (
            <li key={c.field}>
              {conflictText(c)}
            </li>
          ))}
        </ul>
      )}
    </header>
  );
}
