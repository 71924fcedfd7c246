import { useEffect, useRef } from 'react';
import { useBreakGlassStore } from './breakglass-store.js';

/**
 * The break-glass pack (who to call, the bridges, how to update the status page by hand), read
 * from the local database so it is there when nothing else is. Links were checked to be
 * https/http/tel/mailto when the pack was imported (or, for a teammate's, published and pulled).
 */
export function BreakGlassPanel() {
  const { pack, error, load, importText } = useBreakGlassStore();
  const fileRef = useRef<HTMLInputElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section className="panel breakglass" aria-labelledby="breakglass-heading">
      <h2 id="breakglass-heading" ref={headingRef} tabIndex={-1}>
        Break glass{pack?.team ? `: ${pack.team}` : ''}
      </h2>
      {error && <p role="alert">{error}</p>}
      {pack === null && (
        <p className="muted">No break-glass pack yet: import your team's contacts, bridges and status-page steps (a YAML or JSON file; the template is breakglass-template.yaml in resources/runbooks).</p>
      )}
      {/* Also offered over an existing pack: a new file replaces it whole, after validation. */}
      <button type="button" onClick={() => fileRef.current?.click()}>
        {pack ? 'Replace from a file…' : 'Import break-glass pack…'}
      </button>
      <input
        ref={fileRef}
        type="file"
        accept=".yaml,.yml,.json,application/json,application/yaml,text/yaml"
        aria-label="Break-glass pack file"
        hidden
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (!file) return;
          // The file picker took focus away; bring it back to the panel whatever the outcome.
          void file
            .text()
            .then(importText)
            .finally(() => headingRef.current?.focus());
        }}
      />
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
