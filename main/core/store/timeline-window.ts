import type { TimelineCursor } from '../../../shared/api/contract.js';
import type { TimelineWindow } from '../../../shared/api/results.js';
import type { TimelineItem } from '../../../shared/domain/fold.js';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/database.js';
import { TIMELINE_EVENT_COLUMNS, timelineItemFromRow, type TimelineRow } from './event-rows.js';

export interface WindowQuery {
  incidentId: string;
  before?: TimelineCursor | undefined;
  after?: TimelineCursor | undefined;
  limit: number;
  kinds?: readonly string[] | undefined;
  author?: string | undefined;
  pinned?: boolean | undefined;
}

export type { TimelineWindow };

/** Window queries vary only by which filters are set: compile each shape once per database. */
const statements = new WeakMap<Db, Map<string, Statement<unknown[], unknown>>>();
function prepared<R>(db: Db, sql: string): Statement<unknown[], R> {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let stmt = cache.get(sql);
  if (!stmt) cache.set(sql, (stmt = db.prepare<unknown[], unknown>(sql)));
  return stmt as Statement<unknown[], R>;
}

/**
 * Keyset-paged reads of the timeline rows in `events`: every query is a range scan of the
 * (incident_id, hlc, id) index from a cursor, so a window at the end of a 100k-row
 * incident costs what one at the start does. Never OFFSET.
 */
export function readWindow(db: Db, q: WindowQuery): TimelineWindow {
  const where = ['incident_id = ?', 'shown = 1'];
  const args: unknown[] = [q.incidentId];
  if (q.kinds?.length) {
    where.push(`kind IN (${q.kinds.map(() => '?').join(', ')})`);
    args.push(...q.kinds);
  }
  if (q.author !== undefined) {
    where.push('(author_name = ? OR author_id = ?)');
    args.push(q.author, q.author);
  }
  if (q.pinned !== undefined) where.push(q.pinned ? 'pinned = 1' : 'pinned = 0');
  const filters = where.join(' AND ');

  const lower = q.after ? ['(hlc, id) > (?, ?)', [q.after.hlc, q.after.id]] as const : null;
  const upper = q.before ? ['(hlc, id) < (?, ?)', [q.before.hlc, q.before.id]] as const : null;
  const range = [lower, upper].filter((x) => x !== null);
  const rangeSql = range.map(([sql]) => ` AND ${sql}`).join('');
  const rangeArgs = range.flatMap(([, a]) => a);

  // Walk forward from `after` alone; otherwise walk back from `before` (or from the end).
  const forward = q.after !== undefined && q.before === undefined;
  const order = forward ? 'ASC' : 'DESC';
  const rows = prepared<TimelineRow>(db, `SELECT ${TIMELINE_EVENT_COLUMNS} FROM events WHERE ${filters}${rangeSql} ORDER BY hlc ${order}, id ${order} LIMIT ?`).all(...args, ...rangeArgs, q.limit + 1);
  const more = rows.length > q.limit;
  if (more) rows.pop();
  if (!forward) rows.reverse();
  const items = rows.map(timelineItemFromRow);

  const first = items[0];
  const last = items[items.length - 1];
  const exists = (cmp: '<' | '>', at: TimelineItem) =>
    prepared(db, `SELECT 1 FROM events WHERE ${filters} AND (hlc, id) ${cmp} (?, ?) LIMIT 1`).get(...args, at.hlc, at.id) !== undefined;
  // One indexed probe for the whole window: which of its rows still wait in the outbox.
  const pending = items.length
    ? prepared<{ event_id: string }>(db, 'SELECT event_id FROM outbox WHERE event_id IN (SELECT value FROM json_each(?))')
        .all(JSON.stringify(items.map((i) => i.id)))
        .map((r) => r.event_id)
    : [];
  return {
    items,
    pending,
    hasBefore: forward ? (first ? exists('<', first) : q.after !== undefined) : more,
    hasAfter: forward ? more : last ? exists('>', last) : false,
  };
}
