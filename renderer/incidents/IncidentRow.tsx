import type { IncidentListItem } from '../stores/incidents-store.js';
import { formatDuration } from '../../shared/time/zone.js';
import { SeverityBadge } from './SeverityBadge.js';
import { UpdateCountdown } from './UpdateCountdown.js';

export function IncidentRow({ incident, now, onOpen }: { incident: IncidentListItem; now: number; onOpen: (id: string) => void }) {
  const commander = incident.roles?.['commander']?.person ?? 'no commander';
  const age = incident.declaredAt ? formatDuration(now - Date.parse(incident.declaredAt)) : '—';
  return (
    <li className={`incident-row status-${incident.status}`}>
      <button type="button" className="incident-open" onClick={() => onOpen(incident.id)}>
        <SeverityBadge severity={incident.severity} />
        <span className="incident-title">{incident.title}</span>
        <span className="ref">{incident.ref}</span>
        <span className="status">{incident.status}</span>
        <span className="commander">{commander}</span>
        <span className="age" title="time since declared">{age}</span>
        <UpdateCountdown dueAt={incident.nextUpdateDueAt ?? null} now={now} />
      </button>
    </li>
  );
}
