import { commanderLabel } from '../../shared/domain/commander.js';
import { conflictText, type IncidentState } from '../../shared/domain/fold.js';
import { SEVERITY_MEANING } from '../../shared/domain/severity.js';
import { STATUS_MEANING } from '../../shared/domain/status.js';
import { formatDuration } from '../../shared/time/zone.js';
import { UpdateCountdown } from '../incidents/UpdateCountdown.js';
import { useUiStore } from '../stores/ui-store.js';
import { useUpdatesStore } from '../updates/updates-store.js';
import { useNow } from '../time/use-now.js';
import { PresenceLine } from './PresenceLine.js';

/** The summary's first line as plain text: the header has room for one line, not for Markdown. */
export function impactLine(summary: string | null): string {
  const first = (summary ?? '').split('\n').find((l) => l.trim() !== '') ?? '';
  return first.replace(/^[#>*\-\s]+/, '').replace(/[*_`]/g, '').trim();
}

/*
 * What an IC needs at a glance, in two lines (under 80 px at 1024 px): severity, status,
 * commander, age, the countdown to the next update and the button that posts it; then the
 * impact (the summary's first line) and the services. Severity and status are coloured
 * badges, not form selects: each opens the same chooser as V and S, so every change goes
 * through the change store (confirmation for resolving, closing and lowering; undo after).
 */
export function CockpitHeader({ incident }: { incident: IncidentState }) {
  const { setEditOpen, setChooser, } = useUiStore();
  const setView = useUiStore((s) => s.setView);
  const now = useNow();
  const impact = impactLine(incident.summary);
  return (
    <header className="cockpit-header">
      <div className="cockpit-line">
        <h1>
          <button
            type="button"
            className={`sev sev-${incident.severity} badge-button`}
            aria-label={`Severity SEV${incident.severity}: change`}
            aria-haspopup="dialog"
            title={`${SEVERITY_MEANING[incident.severity]} (V to change)`}
            onClick={() => setChooser('severity')}
          >
            SEV{incident.severity}
          </button>{' '}
          <span className="ref">{incident.ref}</span> <span className="cockpit-title-text">{incident.title}</span>
        </h1>
        <button
          type="button"
          className={`status-badge status-${incident.status} badge-button`}
          aria-label={`Status ${incident.status}: change`}
          aria-haspopup="dialog"
          title={`${STATUS_MEANING[incident.status]} (S to change)`}
          onClick={() => setChooser('status')}
        >
          {incident.status}
        </button>
        <span className="fact" title="Incident commander">
          IC {commanderLabel(incident) ?? 'unassigned'}
        </span>
        <span className="fact">{incident.declaredAt ? `open ${formatDuration(now - Date.parse(incident.declaredAt))}` : ''}</span>
        <span className="fact countdown">
          <UpdateCountdown dueAt={incident.nextUpdateDueAt} now={now} />
        </span>
        <button type="button" className="post-update" onClick={() => useUpdatesStore.getState().setDialogOpen(true)}>
          Post update
        </button>
        <button type="button" onClick={() => setEditOpen(true)}>
          Edit incident
        </button>
        <button type="button" onClick={() => setView('retro')}>
          Retrospective
        </button>
      </div>
      <div className="cockpit-line cockpit-impact">
        <span className="impact" title={incident.summary ?? undefined}>
          {impact ? `Impact: ${impact}` : <span className="muted">No impact summary yet (Edit incident)</span>}
        </span>
        {incident.services.length > 0 ? (
          <ul className="services" aria-label="Services">
            {incident.services.map((s) => (
              <li key={s} className="service-chip">
                {s}
              </li>
            ))}
          </ul>
        ) : (
          <span className="muted">no services named</span>
        )}
      </div>
      <PresenceLine incidentId={incident.id} />
      {incident.conflicts.length > 0 && (
        <ul className="conflicts" aria-label="Concurrent changes">
          {incident.conflicts.map((c) => (
            <li key={c.field}>{conflictText(c)}</li>
          ))}
        </ul>
      )}
    </header>
  );
}
