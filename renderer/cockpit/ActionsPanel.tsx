import type { ActionStateValue } from '../../shared/domain/events.js';
import type { ActionItem, IncidentState } from '../../shared/domain/fold.js';
import { outsideHoursNote } from '../../shared/time/off-hours.js';
import { useCockpitStore } from '../stores/cockpit-store.js';
import { profileNamed, useTeamStore } from '../stores/team-store.js';
import { useUiStore } from '../stores/ui-store.js';
import { Time } from '../time/Time.js';
import { useNow } from '../time/use-now.js';
import { Markdown } from '../timeline/Markdown.js';
import { entryName } from './entry-name.js';
import { useRowFocus } from './use-row-focus.js';

/**
 * The incident's action items, open ones first: each can be marked done or cancelled, handed to
 * someone else or re-dated, and a closed one reopened. Each is one `action.updated`;
 * a refusal shows on the cockpit like any other write.
 */
export function ActionsPanel({ incident }: { incident: IncidentState }) {
  const open = incident.actions.filter((a) => a.state === 'open');
  const closed = incident.actions.filter((a) => a.state !== 'open');
  return (
    <section className="panel" aria-labelledby="actions-heading">
      <h2 id="actions-heading">
        Actions <span className="muted">{open.length} open</span>
      </h2>
      {incident.actions.length === 0 ? (
        <p className="muted">No action items yet: add one with the composer's Action kind (Alt+4).</p>
      ) : (
        <ul className="items" aria-labelledby="actions-heading">
          {[...open, ...closed].map((a) => (
            <ActionRow key={a.id} incidentId={incident.id} action={a} />
          ))}
        </ul>
      )}
    </section>
  );
}

/** One state change; a refusal is shown on the cockpit (the store's error), and rejects here. */
function writeState(incidentId: string, target: string, state: ActionStateValue): Promise<void> {
  return useCockpitStore.getState().appendTo(incidentId, 'action.updated', { target, state });
}

function ActionRow({ incidentId, action }: { incidentId: string; action: ActionItem }) {
  const setActionOpen = useUiStore((s) => s.setActionOpen);
  const now = useNow(30_000);
  const team = useTeamStore((s) => s.profiles);
  // Whoever owns it, asleep now: it waits in their digest, and the row says so.
  const offHours = action.state === 'open' && action.owner ? outsideHoursNote(profileNamed(team, action.owner), new Date(now)) : null;
  const name = entryName(action.text, action.redacted);
  const overdue = action.state === 'open' && action.due !== null && Date.parse(action.due) < now;
  const focus = useRowFocus<HTMLDivElement>(action.state);
  const set = (state: ActionStateValue) => {
    focus.acted();
    void writeState(incidentId, action.id, state).catch(focus.refused);
  };
  return (
    <li className={`item item-${action.state}`}>
      {action.redacted ? <p className="redacted">Redacted</p> : <Markdown text={action.text} />}
      <p className="item-facts">
        {action.state !== 'open' && <span className="badge">{action.state}</span>}
        <span>{action.owner ?? <span className="muted">no owner</span>}</span>
        {offHours && <span className="hours out">{offHours}</span>}
        {action.due && (
          <span className={overdue ? 'overdue' : undefined}>
            {overdue ? 'overdue since ' : 'due '}
            <Time iso={action.due} />
          </span>
        )}
      </p>
      <div className="entry-actions" ref={focus.ref}>
        {action.state === 'open' ? (
          <>
            <button type="button" aria-label={`Mark done: ${name}`} onClick={() => set('done')}>
              Done
            </button>
            <button type="button" aria-label={`Cancel action: ${name}`} onClick={() => set('cancelled')}>
              Cancel
            </button>
            <button type="button" aria-label={`Reassign or re-date: ${name}`} onClick={() => setActionOpen(action.id)}>
              Reassign or re-date…
            </button>
          </>
        ) : (
          <button type="button" aria-label={`Reopen action: ${name}`} onClick={() => set('open')}>
            Reopen
          </button>
        )}
      </div>
    </li>
  );
}
