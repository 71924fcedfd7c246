import type { ConnEvent } from '../../../shared/domain/events.js';
import type { PushRejection } from '../../../shared/sync/protocol.js';
import type { Db } from '../db/database.js';
import { eventFromRow, type EventRow } from '../store/event-rows.js';

/*
 * The durable outbox, read side. The EventStore writes a row in the same transaction as every
 * local event; rows leave only when the hub has answered for them (accepted or rejected).
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

export interface RecordedRejection extends PushRejection {
  at: string;
}

const REJECTIONS_KEY = 'push.rejected';
/** Keep the latest ones: enough to show a person what went wrong, bounded in size. */
const MAX_REJECTIONS = 200;

export function rejections(db: Db): RecordedRejection[] {
  const v = db.prepare<[string], { value: string }>('SELECT value FROM sync_state WHERE key = ?').get(REJECTIONS_KEY)?.value;
  return v ? (JSON.parse(v) as RecordedRejection[]) : [];
}

/**
 * Settles one push ack in one transaction: accepted and rejected events leave the outbox, and
 * rejections are recorded with their reason so they are surfaced instead of retried forever.
 */
export function settle(db: Db, accepted: readonly string[], rejected: readonly PushRejection[], now: Date = new Date()): void {
  const remove = db.prepare('DELETE FROM outbox WHERE event_id = ?');
  db.transaction(() => {
    for (const id of accepted) remove.run(id);
    for (const r of rejected) remove.run(r.id);
    if (rejected.length) {
      const all = [...rejections(db), ...rejected.map((r) => ({ ...r, at: now.toISOString() }))].slice(-MAX_REJECTIONS);
      db.prepare('INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(REJECTIONS_KEY, JSON.stringify(all));
    }
  }).immediate();
}
