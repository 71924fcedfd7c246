import { isActiveStatus } from '../../shared/domain/status.js';
import { useIncidentsStore } from '../stores/incidents-store.js';
import { useNow } from '../time/use-now.js';
import { IncidentRow } from './IncidentRow.js';

/** Every incident, active first; choosing one opens its cockpit. */
export function IncidentList({ onOpen }: { onOpen: (id: string) => void }) {
  const { incidents, loaded, error } = useIncidentsStore();
  const now = useNow();
  const active = incidents.filter((i) => isActiveStatus(i.status));
  const past = incidents.filter((i) => !isActiveStatus(i.status));
  return (
    <section className="incident-list" aria-labelledby="incidents-heading">
      <h1 id="incidents-heading">Incidents</h1>
      {error && <p role="alert">{error}</p>}
      {loaded && incidents.length === 0 && <p className="empty">No incidents. Press N or use “Declare incident” to start one.</p>}
      {active.length > 0 && (
        <>
          <h2>Active ({active.length})</h2>
          <ul aria-label="Active incidents">
            {active.map((i) => (
              <IncidentRow key={i.id} incident={i} now={now} onOpen={onOpen} />
            ))}
          </ul>
        </>
      )}
      {past.length > 0 && (
        <>
          <h2>Resolved and closed</h2>
          <ul aria-label="Past incidents">
            {past.map((i) => (
              <IncidentRow key={i.id} incident={i} now={now} onOpen={onOpen} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
