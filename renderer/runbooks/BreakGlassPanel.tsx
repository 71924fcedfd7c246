import { useEffect } from 'react';
import { useBreakGlassStore } from './breakglass-store.js';

/**
 * The break-glass pack (who to call, the bridges, how to update the status page by hand), read
 * from the local database so it is there when nothing else is. Links were checked to be
 * https/http/tel/mailto when the pack was imported (or, for a teammate's, published and pulled).
 */
export function BreakGlassPanel() {
  const { pack, error, load } = useBreakGlassStore();
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section className="panel breakglass" aria-labelledby="breakglass-heading">
      <h2 id="breakglass-heading">Break glass{pack?.team ? `: ${pack.team}` : ''}</h2>
      {error && <p role="alert">{error}</p>}
      {pack === null && <p className="muted">No break-glass pack yet: run `conn breakglass import FILE` (template in resources/runbooks).</p>}
      {pack && (
        <>
          {pack.escalation.length > 0 && (
            <>
              <h3>Escalation</h3>
              <ul>
                {pack.escalation.map((c) => (
                  <li key={c.name}>
                    <strong>{c.name}</strong>
                    {c.role && ` (${c.role})`} {c.phone && <a href={`tel:${c.phone.replace(/[^\d+]/g, '')}`}>{c.phone}</a>}{' '}
                    {c.email && <a href={`mailto:${c.email}`}>{c.email}</a>}
                    {c.notes && <div className="muted">{c.notes}</div>}
                  </li>
                ))}
              </ul>
            </>
          )}
          {pack.bridges.length > 0 && (
            <>
              <h3>Bridges</h3>
              <ul>
                {pack.bridges.map((b) => (
                  <li key={b.name}>
                    <strong>{b.name}</strong> {b.dialIn && `dial ${b.dialIn}`} {b.pin && `pin ${b.pin}`}{' '}
                    {b.url && (
                      <a href={b.url} target="_blank" rel="noopener noreferrer">
                        join
                      </a>
                    )}
                  </li>
                ))}
              </ul>
            </>
          )}
          {pack.statusPage && (
            <>
              <h3>Status page</h3>
              {pack.statusPage.url && (
                <p>
                  <a href={pack.statusPage.url} target="_blank" rel="noopener noreferrer">
                    {pack.statusPage.url}
                  </a>
                </p>
              )}
              {pack.statusPage.instructions && <p className="pre-wrap">{pack.statusPage.instructions}</p>}
            </>
          )}
        </>
      )}
    </section>
  );
}
