import { useEffect } from 'react';
import type { FollowUpAction } from '../../shared/api/followup-methods.js';
import { entryName } from '../cockpit/entry-name.js';
import { SeverityBadge } from '../incidents/SeverityBadge.js';
import { openIncident } from '../stores/navigation.js';
import { Time } from '../time/Time.js';
import { useNow } from '../time/use-now.js';
import { useFollowUpStore, type FollowUpFilter } from './followup-store.js';

const FILTERS: Array<{ key: keyof FollowUpFilter; label: string }> = [
  { key: 'mine', label: 'Mine only' },
  { key: 'overdue', label: 'Overdue only' },
  { key: 'all', label: 'Include done and cancelled' },
];

/**
 * Follow-up across every incident: the action items still open (the same list as
 * `conn actions`), oldest due first, each closable here without opening its incident.
 */
export function FollowUpView() {
  const { filter, rows, loaded, error, setFilter, refresh } = useFollowUpStore();
  useEffect(() => {
    void refresh();
  }, [refresh]);
  return (
    <section className="followup" aria-labelledby="followup-heading">
      <h1 id="followup-heading">Follow-up</h1>
      <p className="muted">Action items of every incident, oldest due first. The same list as <code>conn actions</code>.</p>
      <fieldset className="followup-filters">
        <legend>Show</legend>
        {FILTERS.map((f) => (
          <label key={f.key}>
            <input type="checkbox" checked={filter[f.key]} onChange={(e) => setFilter({ [f.key]: e.target.checked })} /> {f.label}
          </label>
        ))}
      </fieldset>
      {error && <p role="alert">{error}</p>}
      {!loaded ? (
        <p className="loading">Loading…</p>
      ) : rows.length === 0 ? (
        <p className="empty">{filter.overdue ? 'Nothing overdue.' : 'No open action items.'}</p>
      ) : (
        <table className="followup-table" aria-label="Action items">
          <thead>
            <tr>
              <th scope="col">Incident</th>
              <th scope="col">Action</th>
              <th scope="col">Owner</th>
              <th scope="col">Due</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <FollowUpRow key={r.action.id} row={r} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function FollowUpRow({ row }: { row: FollowUpAction }) {
  const setState = useFollowUpStore((s) => s.setState);
  const now = useNow(30_000);
  const a = row.action;
  const name = entryName(a.text, a.redacted);
  const overdue = a.state === 'open' && a.due !== null && Date.parse(a.due) < now;
  return (
    <tr className={`item-${a.state}`}>
      <td>
        <button type="button" onClick={() => openIncident(row.incidentId)} aria-label={`Open ${row.ref}: ${row.title}`}>
          <SeverityBadge severity={row.severity} /> {row.ref}
        </button>{' '}
        <span className="muted">{row.title}</span>
      </td>
      <td>{a.redacted ? <span className="redacted">Redacted</span> : a.text.split('\n')[0]}</td>
      <td>{a.owner ?? <span className="muted">no owner</span>}</td>
      <td>{a.due ? <span className={overdue ? 'overdue' : undefined}>{overdue ? 'overdue since ' : ''}<Time iso={a.due} /></span> : <span className="muted">—</span>}</td>
      <td>
        <div className="entry-actions">
          {a.state === 'open' ? (
            <>
              <button type="button" aria-label={`Mark done: ${name}`} onClick={() => void setState(row, 'done')}>
                Done
              </button>
              <button type="button" aria-label={`Cancel action: ${name}`} onClick={() => void setState(row, 'cancelled')}>
                Cancel
              </button>
            </>
          ) : (
            <>
              <span className="badge">{a.state}</span>
              <button type="button" aria-label={`Reopen action: ${name}`} onClick={() => void setState(row, 'open')}>
                Reopen
              </button>
            </>
          )}
        </div>
      </td>
    </tr>
  );
}
