import { useEffect } from 'react';
import { Markdown } from '../timeline/Markdown.js';
import { BreakGlassPanel } from './BreakGlassPanel.js';
import { Snippet } from './Snippet.js';
import { loadLibrary, useRunbooksStore } from './runbooks-store.js';

/**
 * The runbook library: search as you type on the left, the chosen runbook on the right. The
 * Markdown is rendered through the timeline's sanitiser (DOMPurify), so a <script> or a
 * javascript: link in an imported runbook does nothing.
 */
export function RunbookLibrary() {
  const { query, results, error, selected, setQuery, select } = useRunbooksStore();
  useEffect(loadLibrary, []);

  return (
    <section className="runbook-library" aria-label="Runbook library">
      <div className="runbook-search">
        <input
          type="search"
          aria-label="Search runbooks"
          placeholder='Search runbooks: words, "a phrase", prefix*'
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          autoFocus
        />
        {error && <p role="alert">{error}</p>}
        <ul className="runbook-results" aria-label="Runbooks">
          {results.map((r) => (
            <li key={r.name}>
              <button type="button" aria-current={selected?.name === r.name || undefined} onClick={() => void select(r.name)}>
                <strong>{r.title}</strong> {r.stale && <span className="badge stale">stale</span>}
                <br />
                {'snippet' in r ? <Snippet segments={r.snippet} /> : <span className="muted">{r.name}</span>}
              </button>
            </li>
          ))}
          {results.length === 0 && !error && <li className="muted">{query.trim() ? 'No runbook matches.' : 'The library is empty.'}</li>}
        </ul>
      </div>
      {!selected && <BreakGlassPanel />}
      {selected && (
        <article className="runbook-view" aria-label={selected.title}>
          <header>
            <h2>
              {selected.title} {selected.stale && <span className="badge stale">stale: last verified {selected.lastVerified ?? 'never'}</span>}
            </h2>
            <p className="muted">
              {selected.name} · {selected.services.join(', ')} · owner {selected.owner ?? 'unknown'} ·{' '}
              <label>
                version{' '}
                <select value={selected.version} onChange={(e) => void select(selected.name, Number(e.target.value))}>
                  {selected.versions.map((v) => (
                    <option key={v.version} value={v.version}>
                      {v.version} — {v.author}, {v.createdAt.slice(0, 10)}
                    </option>
                  ))}
                </select>
              </label>
            </p>
          </header>
          <Markdown text={selected.body} />
        </article>
      )}
    </section>
  );
}
