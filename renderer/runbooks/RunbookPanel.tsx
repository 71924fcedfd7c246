import { useEffect, useState } from 'react';
import type { AttachedRunbook, IncidentState } from '../../shared/domain/fold.js';
import type { Suggestion } from '../../shared/runbooks/results.js';
import { useCockpitStore } from '../stores/cockpit-store.js';
import { Time } from '../time/Time.js';
import { Markdown } from '../timeline/Markdown.js';
import { attach, suggestFor } from './runbooks-store.js';

/**
 * The cockpit's runbook panel: attached runbooks as live checklists (checking a step appends a
 * runbook.step-done event; teammates see it through sync like any other entry) and suggestions
 * from the incident's services and title.
 */
export function RunbookPanel({ incident }: { incident: IncidentState }) {
  const [suggestions, setSuggestions] = useState<Suggestion[]>([]);
  const [error, setError] = useState<string | null>(null);
  const attachedNames = incident.runbooks.map((r) => r.name).join('\n');
  const services = incident.services.join(',');

  useEffect(() => {
    let live = true;
    suggestFor(incident.id)
      .then((s) => live && setSuggestions(s))
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
    // Re-suggest when the title or services change, or a runbook is attached.
  }, [incident.id, incident.title, services, attachedNames]);

  const attached = new Set(incident.runbooks.map((r) => r.name));
  const open = suggestions.filter((s) => !attached.has(s.name));

  return (
    <section className="panel runbook-panel" aria-labelledby="runbooks-heading">
      <h2 id="runbooks-heading">Runbooks</h2>
      {error && <p role="alert">{error}</p>}
      {incident.runbooks.length === 0 && <p className="muted">No runbook attached.</p>}
      {incident.runbooks.map((rb) => (
        <Checklist key={rb.attachId} runbook={rb} onError={setError} />
      ))}
      {open.length > 0 && (
        <>
          <h3>Suggested</h3>
          <ul className="runbook-suggestions">
            {open.map((s) => (
              <li key={s.name}>
                <span title={s.reasons.join('; ')}>
                  {s.title}
                  {s.stale && <span className="badge stale"> stale</span>}
                </span>{' '}
                <button
                  type="button"
                  aria-label={`Attach runbook ${s.title}`}
                  onClick={() => {
                    attach(incident.id, s.name)
                      .then(() => useCockpitStore.getState().refresh())
                      // The Attach button is gone with its suggestion: focus the new checklist's first step.
                      .then(() => requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-runbook="${CSS.escape(s.name)}"] input`)?.focus()))
                      .catch((e: Error) => setError(e.message));
                  }}
                >
                  Attach
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function Checklist({ runbook, onError }: { runbook: AttachedRunbook; onError: (m: string) => void }) {
  // The box flips at once; the folded state (refetched after the event is stored) confirms it.
  const [pending, setPending] = useState<Record<string, boolean>>({});
  const isDone = (key: string, done: boolean) => pending[key] ?? done;
  const done = runbook.steps.filter((s) => isDone(s.key, s.done)).length;
  const headingId = `rb-${runbook.attachId}`;
  return (
    <div className="runbook-checklist" data-runbook={runbook.name}>
      <h3 id={headingId}>
        {runbook.name} <span className="muted">v{runbook.version} · {done}/{runbook.steps.length} done</span>
      </h3>
      <ul aria-labelledby={headingId}>
        {runbook.steps.map((s) => (
          <li key={s.key}>
            <label>
              <input
                type="checkbox"
                checked={isDone(s.key, s.done)}
                onChange={(e) => {
                  const checked = e.target.checked;
                  setPending((p) => ({ ...p, [s.key]: checked }));
                  const settle = () => setPending(({ [s.key]: _, ...rest }) => rest);
                  useCockpitStore
                    .getState()
                    .append('runbook.step-done', { target: runbook.attachId, step: s.key, done: checked })
                    .then(() => useCockpitStore.getState().refresh())
                    .catch((err: Error) => onError(err.message))
                    .finally(settle);
                }}
              />{' '}
              <Markdown text={s.text} inline />
            </label>
            {s.done && s.at && (
              <span className="muted">
                {' '}
                — {s.by}, <Time iso={s.at} date={false} />
              </span>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
