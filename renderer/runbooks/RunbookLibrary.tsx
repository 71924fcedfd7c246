import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef } from 'react';
import type { RunbookSummary, SearchHit } from '../../shared/runbooks/results.js';
import { Markdown } from '../timeline/Markdown.js';
import { AttachToIncident } from './AttachToIncident.js';
import { BreakGlassPanel } from './BreakGlassPanel.js';
import { Snippet } from './Snippet.js';
import { loadLibrary, useRunbooksStore } from './runbooks-store.js';

/** A result row's height in px; matches `.runbook-results > li` in styles.css. */
const ROW_PX = 72;

/**
 * One result. Memoised: a keystroke re-renders the view, and rows whose hit did not change (the
 * same object from the same answer) should cost nothing.
 */
const ResultButton = memo(function ResultButton({ result: r, current, onSelect }: { result: SearchHit | RunbookSummary; current: boolean; onSelect: (name: string) => Promise<void> }) {
  return (
    <button type="button" aria-current={current || undefined} onClick={() => void onSelect(r.name)}>
      <strong>
        {r.title} {r.stale && <span className="badge stale">stale</span>}
      </strong>
      {'snippet' in r ? <Snippet segments={r.snippet} /> : <span className="muted">{r.name}</span>}
    </button>
  );
});

/**
 * The runbook library: search as you type on the left, the chosen runbook on the right. The
 * Markdown is rendered through the timeline's sanitiser (DOMPurify), so a <script> or a
 * javascript: link in an imported runbook does nothing. The list is virtualised: with the box
 * empty it holds the whole library, and 10,000 runbooks must not mean 10,000 rows in the DOM.
 */
export function RunbookLibrary() {
  const { query, results, error, selected, setQuery, select } = useRunbooksStore();
  useEffect(loadLibrary, []);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: results.length,
    getScrollElement: () => scrollRef.current,
    // Every row is ROW_PX tall (the snippet is clamped to two lines in styles.css), so rows are
    // placed without measuring each one: measuring was the next largest cost in a profile.
    estimateSize: () => ROW_PX,
    overscan: 6,
    getItemKey: (i) => results[i]!.name,
  });
  // New results start at the top: the best match first, not wherever the last list was scrolled.
  // Only when scrolled: writing scrollTop forces a layout, the largest cost of a keystroke here
  // in a profile; the virtualiser already knows the offset from scroll events.
  useEffect(() => {
    if ((virtualizer.scrollOffset ?? 0) > 0) virtualizer.scrollToOffset(0);
  }, [results, virtualizer]);

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
        <div ref={scrollRef} className="runbook-results-scroll">
          <ul className="runbook-results" aria-label="Runbooks" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((row) => {
              const r = results[row.index]!;
              return (
                <li key={row.key} style={{ transform: `translateY(${row.start}px)` }}>
                  <ResultButton result={r} current={selected?.name === r.name} onSelect={select} />
                </li>
              );
            })}
          </ul>
          {results.length === 0 && !error && <p className="muted">{query.trim() ? 'No runbook matches.' : 'The library is empty.'}</p>}
        </div>
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
            <AttachToIncident runbook={selected.name} />
          </header>
          <Markdown text={selected.body} />
        </article>
      )}
    </section>
  );
}
