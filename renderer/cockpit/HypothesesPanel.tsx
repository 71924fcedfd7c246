import type { Hypothesis, HypothesisState, IncidentState } from '../../shared/domain/fold.js';
import { useCockpitStore } from '../stores/cockpit-store.js';
import { Markdown } from '../timeline/Markdown.js';
import { entryName } from './entry-name.js';
import { useRowFocus } from './use-row-focus.js';

const STATE_LABEL: Record<HypothesisState, string> = { open: 'open', 'ruled-out': 'ruled out', confirmed: 'confirmed' };

/**
 * What the team thinks might be wrong: each hypothesis can be confirmed or ruled out (and
 * reopened), one `hypothesis.updated` each, so the brief and the retrospective can say what
 * was tried and ruled out.
 */
export function HypothesesPanel({ incident }: { incident: IncidentState }) {
  const open = incident.hypotheses.filter((h) => h.state === 'open');
  const settled = incident.hypotheses.filter((h) => h.state !== 'open');
  return (
    <section className="panel" aria-labelledby="hypotheses-heading">
      <h2 id="hypotheses-heading">
        Hypotheses <span className="muted">{open.length} open</span>
      </h2>
      {incident.hypotheses.length === 0 ? (
        <p className="muted">No hypotheses yet: add one with the composer's Hypothesis kind (Alt+3).</p>
      ) : (
        <ul className="items" aria-labelledby="hypotheses-heading">
          {[...open, ...settled].map((h) => (
            <HypothesisRow key={h.id} incidentId={incident.id} hypothesis={h} />
          ))}
        </ul>
      )}
    </section>
  );
}

/** One state change; a refusal is shown on the cockpit (the store's error), and rejects here. */
function writeState(incidentId: string, target: string, state: HypothesisState): Promise<void> {
  return useCockpitStore.getState().appendTo(incidentId, 'hypothesis.updated', { target, state });
}

function HypothesisRow({ incidentId, hypothesis: h }: { incidentId: string; hypothesis: Hypothesis }) {
  const name = entryName(h.text, h.redacted);
  const focus = useRowFocus<HTMLDivElement>(h.state);
  const set = (state: HypothesisState) => {
    focus.acted();
    void writeState(incidentId, h.id, state).catch(focus.refused);
  };
  return (
    <li className={`item item-${h.state}`}>
      {h.redacted ? <p className="redacted">Redacted</p> : <Markdown text={h.text} />}
      <p className="item-facts">
        {h.state !== 'open' && <span className="badge">{STATE_LABEL[h.state]}</span>}
        <span className="muted">by {h.author}</span>
      </p>
      <div className="entry-actions" ref={focus.ref}>
        {h.state === 'open' ? (
          <>
            <button type="button" aria-label={`Confirm hypothesis: ${name}`} onClick={() => set('confirmed')}>
              Confirm
            </button>
            <button type="button" aria-label={`Rule out hypothesis: ${name}`} onClick={() => set('ruled-out')}>
              Rule out
            </button>
          </>
        ) : (
          <button type="button" aria-label={`Reopen hypothesis: ${name}`} onClick={() => set('open')}>
            Reopen
          </button>
        )}
      </div>
    </li>
  );
}
