import { commanderLabel } from '../../shared/domain/commander.js';
import { isActiveStatus } from '../../shared/domain/status.js';
import { formatDuration } from '../../shared/time/zone.js';
import { useIncidentsStore } from '../stores/incidents-store.js';
import { useNow } from '../time/use-now.js';
import { SeverityBadge } from './SeverityBadge.js';
import { UpdateCountdown } from './UpdateCountdown.js';

/**
 * Every active incident at once, large enough to read across a room: the cards share the whole
 * window (one incident fills it), and a card whose update is overdue turns red, not just its text.
 */
export function WallView({ onOpen }: { onOpen: (id: string) => void }) {
  const incidents = useIncidentsStore((s) => s.incidents).filter((i) => isActiveStatus(i.status));
  const now = useNow();
  return (
    <section className="wall" aria-labelledby="wall-heading">
      <h1 id="wall-heading">Wall: {incidents.length} active</h1>
      {incidents.length === 0 && <p className="empty">Nothing is burning.</p>}
      <ul className="wall-grid" aria-label="Active incidents">
        {incidents.map((i) => (
          <li key={i.id} className={`wall-card sev-border-${i.severity}${i.nextUpdateDueAt && Date.parse(i.nextUpdateDueAt) < now ? ' wall-overdue' : ''}`}>
            <button type="button" onClick={() => onOpen(i.id)}>
              <span className="wall-head">
                <SeverityBadge severity={i.severity} /> <span className="ref">{i.ref}</span>
              </span>
              <span className="wall-title">{i.title}</span>
              <span>
                {i.status} · IC {commanderLabel({ roles: i.roles ?? {}, declaredBy: i.declaredBy ?? null }) ?? 'unassigned'} ·{' '}
                {i.declaredAt ? formatDuration(now - Date.parse(i.declaredAt)) : ''}
              </span>
              <span className="wall-countdown">
                <UpdateCountdown dueAt={i.nextUpdateDueAt ?? null} now={now} />
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
