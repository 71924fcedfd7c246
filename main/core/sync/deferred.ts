import { LIMITS } from '../../../shared/domain/limits.js';
import { parseEvent, type ConnEvent } from '../../../shared/domain/events.js';
import type { SequencedEvent } from '../../../shared/sync/protocol.js';
import type { Db } from '../db/database.js';
import type { Core } from '../open.js';

/*
 * Pulled events this Conn cannot parse yet (migration 003). The engine moves the cursor past
 * them, so they are kept here in the same transaction as the page, and ingested once an
 * upgraded Conn can read them. Bodies over LIMITS.eventBytes can never be valid: only a note
 * is kept. The bodies kept are capped at DEFERRED_BUDGET_BYTES in all; past it, a note too.
 */

export const DEFERRED_BUDGET_BYTES = 16 * 1024 * 1024;

export type Parse = (raw: unknown) => ConnEvent;

/** Splits a pulled page into the events this Conn can read and the ones it must defer. */
export function splitPage(page: readonly SequencedEvent[], parse: Parse = parseEvent): { events: ConnEvent[]; deferred: { seq: number; body: string; error: string }[] } {
  const events: ConnEvent[] = [];
  const deferred: { seq: number; body: string; error: string }[] = [];
  for (const item of page) {
    try {
      events.push(parse(item.event));
    } catch (err) {
      // A hub answering bodies: 'json' sent the text itself: keep it as sent.
      const body = typeof item.event === 'string' ? item.event : JSON.stringify(item.event ?? null);
      deferred.push({ seq: item.seq, body, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return { events, deferred };
}

/** Stores deferred events; call inside the transaction that stores the page and moves the cursor. */
export function storeDeferred(db: Db, rows: readonly { seq: number; body: string; error: string }[]): void {
  if (rows.length === 0) return;
  let kept = db.prepare<[], { n: number | null }>('SELECT sum(length(body)) AS n FROM deferred_events').get()?.n ?? 0;
  const insert = db.prepare('INSERT INTO deferred_events (seq, body, size, error, received_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (seq) DO NOTHING');
  const now = Date.now();
  for (const r of rows) {
    const size = Buffer.byteLength(r.body);
    if (size > LIMITS.eventBytes) {
      insert.run(r.seq, null, size, `not kept: ${Math.round(size / 1024)} KiB is over the ${LIMITS.eventBytes / 1024} KiB event limit (${r.error})`, now);
    } else if (kept + size > DEFERRED_BUDGET_BYTES) {
      insert.run(r.seq, null, size, `not kept: the events waiting for an upgrade already hold ${Math.round(kept / 1024 / 1024)} MiB (${r.error})`, now);
    } else if (insert.run(r.seq, r.body, size, r.error, now).changes > 0) {
      kept += size;
    }
  }
}

export function deferredCount(db: Db): number {
  return db.prepare<[], { n: number }>('SELECT count(*) AS n FROM deferred_events').get()?.n ?? 0;
}

/**
 * Parses the deferred events again and ingests those that now parse, deleting them in the same
 * transaction, a batch at a time. Rows that still fail stay. Returns how many were new here.
 */
export function retryDeferred(core: Core, parse: Parse = parseEvent, batch = 200): number {
  const db = core.db;
  const select = db.prepare<[number, number], { seq: number; body: string }>('SELECT seq, body FROM deferred_events WHERE seq > ? AND body IS NOT NULL ORDER BY seq LIMIT ?');
  const remove = db.prepare('DELETE FROM deferred_events WHERE seq = ?');
  let applied = 0;
  let after = 0;
  for (;;) {
    const rows = select.all(after, batch);
    if (rows.length === 0) return applied;
    after = rows[rows.length - 1]!.seq;
    const ready: { seq: number; event: ConnEvent }[] = [];
    for (const r of rows) {
      try {
        ready.push({ seq: r.seq, event: parse(JSON.parse(r.body)) });
      } catch {
        // still unreadable by this Conn: it keeps waiting
      }
    }
    if (ready.length === 0) continue;
    db.transaction(() => {
      applied += core.events.ingest(ready.map((r) => r.event)).applied.length;
      for (const r of ready) remove.run(r.seq);
    }).immediate();
  }
}
