import type { Migration } from './migration.js';

/*
 * Entries reach the full-text index once per write transaction instead of once per row.
 *
 * Migration 006's triggers wrote search_fts from inside the trigger on `events`. FTS5 flushes
 * its in-memory terms to a new on-disk segment at every statement savepoint, and a trigger
 * that writes a virtual table runs under one, so each inserted entry became its own segment
 * (and its own merges): about 100 µs an entry, more than half of a 10,000-event catch-up.
 *
 * Now the triggers keep search_docs (an entry's doc id) exactly as before, and remove an
 * entry's words from search_fts at once as before (a redaction's words must go in the same
 * statement), but they queue the doc in search_pending instead of writing its words; the
 * writer (EventStore.write, main/core/store/event-store.ts, the only writer of `events`)
 * moves every queued doc into search_fts with one INSERT…SELECT before its commit
 * (FLUSH_PENDING_SEARCH_SQL below). The words indexed are the entry's text at that moment, so an
 * entry edited in the same transaction is indexed once, as it ends up.
 */
export const SEARCH_PENDING_SQL = `
CREATE TABLE search_pending (doc INTEGER PRIMARY KEY);

DROP TRIGGER search_entry_added;
CREATE TRIGGER search_entry_added AFTER INSERT ON events
WHEN new.shown = 1 AND new.text <> '' AND new.kind IN (SELECT kind FROM search_text_kinds)
BEGIN
  INSERT OR IGNORE INTO search_docs (key, incident_id, hlc, kind) VALUES (new.id, new.incident_id, new.hlc, new.kind);
  INSERT OR IGNORE INTO search_pending (doc) SELECT doc FROM search_docs WHERE key = new.id;
END;

DROP TRIGGER search_entry_changed;
CREATE TRIGGER search_entry_changed AFTER UPDATE OF text, shown ON events
WHEN (old.text IS NOT new.text OR old.shown IS NOT new.shown) AND new.kind IN (SELECT kind FROM search_text_kinds)
BEGIN
  DELETE FROM search_fts WHERE rowid = (SELECT doc FROM search_docs WHERE key = old.id);
  DELETE FROM search_pending WHERE doc = (SELECT doc FROM search_docs WHERE key = old.id);
  DELETE FROM search_docs WHERE key = old.id;
  INSERT INTO search_docs (key, incident_id, hlc, kind)
    SELECT new.id, new.incident_id, new.hlc, new.kind WHERE new.shown = 1 AND new.text <> '';
  INSERT OR IGNORE INTO search_pending (doc) SELECT doc FROM search_docs WHERE key = new.id;
END;

DROP TRIGGER search_entry_removed;
CREATE TRIGGER search_entry_removed AFTER DELETE ON events
BEGIN
  DELETE FROM search_fts WHERE rowid = (SELECT doc FROM search_docs WHERE key = old.id);
  DELETE FROM search_pending WHERE doc = (SELECT doc FROM search_docs WHERE key = old.id);
  DELETE FROM search_docs WHERE key = old.id;
END;
`;

/**
 * The statements that index the queued entries; run by the writer inside its transaction, before
 * commit. CROSS JOIN fixes the join order: left to itself the planner scans all of `events` (an
 * index it finds cheaper without statistics), which made a catch-up quadratic.
 */
export const FLUSH_PENDING_SEARCH_SQL = [
  `INSERT INTO search_fts (rowid, body, scope)
     SELECT d.doc, e.text, 'x' || replace(e.incident_id, '-', '')
     FROM search_pending p CROSS JOIN search_docs d ON d.doc = p.doc CROSS JOIN events e ON e.id = d.key`,
  'DELETE FROM search_pending',
] as const;

export const searchBatched: Migration = {
  version: 9,
  name: 'search-batched',
  up(db) {
    db.exec(SEARCH_PENDING_SQL);
  },
};
