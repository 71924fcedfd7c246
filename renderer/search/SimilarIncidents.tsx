import { useEffect, useState } from 'react';
import type { IncidentState } from '../../shared/domain/fold.js';
import type { SimilarIncident } from '../../shared/search/results.js';
import { rpc } from '../api/client.js';
import { openIncident } from '../stores/navigation.js';

/**
 * Beside the suggested runbooks: resolved and closed incidents with the same services and
 * similar words, and what they taught (contributing factors and remediation from their
 * retrospective, else their actions), so the IC can try what worked last time.
 */
export function SimilarIncidents({ incident }: { incident: IncidentState }) {
  const [similar, setSimilar] = useState<SimilarIncident[]>([]);
  const [error, setError] = useState<string | null>(null);
  const services = incident.services.join(',');

  useEffect(() => {
    let live = true;
    rpc()
      .call('incidents.similar', { incidentId: incident.id })
      .then((s) => live && setSimilar(s))
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
    // Asked again when what it matches on changes: the title, the summary or the services.
  }, [incident.id, incident.title, incident.summary, services]);

  if (similar.length === 0 && !error) return null;
  return (
    <section className="panel similar-panel" aria-labelledby="similar-heading">
      <h2 id="similar-heading">Similar past incidents</h2>
      {error && <p role="alert">{error}</p>}
      <ul className="similar-list">
        {similar.map((s) => (
          <li key={s.incidentId}>
            <button type="button" className="link" onClick={() => openIncident(s.incidentId)}>
              {s.ref}: {s.title}
            </button>{' '}
            <span className="muted">
              {s.status}
              {s.sharedServices.length > 0 && ` · ${s.sharedServices.join(', ')}`}
              {s.sharedWords.length > 0 && ` · “${s.sharedWords.slice(0, 3).join('”, “')}”`}
            </span>
            {s.lessons.factors.length > 0 && (
              <p className="lesson">
                <span className="lesson-label">Contributing factors:</span> {s.lessons.factors.join('; ')}
              </p>
            )}
            {s.lessons.remediation.length > 0 && (
              <p className="lesson">
                <span className="lesson-label">{s.lessons.fromRetrospective ? 'Remediation:' : 'Actions:'}</span> {s.lessons.remediation.slice(0, 4).join('; ')}
              </p>
            )}
            {!s.lessons.fromRetrospective && s.lessons.summary && <p className="lesson muted">{s.lessons.summary}</p>}
          </li>
        ))}
      </ul>
    </section>
  );
}
