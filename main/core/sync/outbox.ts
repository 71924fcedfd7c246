import type { ConnEvent } from '../../../shared/domain/events.js';
import type { Db } from '../db/database.js';
import { eventFromRow, type EventRow } from '../store/event-rows.js';

/*
 * The durable outbox, read side. The EventStore writes a row in the same transaction as every
 * local event; rows leave only when the hub has answered for them (EventStore.settlePush).
 */

export interface OutboxBatch {
  events: ConnEvent[];
  bytes: number;
}

/** The oldest pending events, in write order, at most `limit` of them and about `maxBytes`. */
export function readOutbox(db: Db, limit: number, maxBytes: number): OutboxBatch {
  const rows = db
    .prepare<[number], EventRow>(
      `SELECT e.id, e.incident_id, e.hlc, e.kind, e.author_id, e.author_name, e.payload, e.supersedes
       FROM outbox o JOIN events e ON e.id = o.event_id ORDER BY o.seq LIMIT ?`,
    )
    .all(limit);
  const events: ConnEvent[] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = row.payload.length + 512;
    // Always send at least one, however big: the hub answers an oversized event with a rejection.
    if (events.length > 0 && bytes + size > maxBytes) break;
    events.push(eventFromRow(row));
    bytes += size;
  }
  return { events, bytes };
}

export function pendingCount(db: Db): number {
  return db.prepare<[], { n: number }>('SELECT count(*) AS n FROM outbox').get()?.n ?? 0;
}
