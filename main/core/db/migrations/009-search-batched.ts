import type { Migration } from './migration.js';

/*
 * Entries reach the full-text index once per write transaction instead of once per row.
 *
 * Migration 006's triggers wrote search_docs and search_fts from inside the trigger on
 * `events`. FTS5 flushes its in-memory terms to a new on-disk segment at every statement
 * savepoint, and a trigger that writes a virtual table runs under one, so each inserted entry
 * became its own segment (and its own merges): about 100 µs an entry, more than half of a
 * 10,000-event catch-up. Inserting search_docs rows one by one from the trigger was most of
 * what was left.
 *
 * Now the triggers only queue the entry's id in search_pending when an entry is added or its
 * text or visibility changes, and remove its old words from search_fts and search_docs at once
 * as before (a redaction's words leave in the same statement). The writer (EventStore.write,
 * main/core/store/event-store.ts, the only writer of `events`) indexes every queued entry with
 * one INSERT…SELECT per table before its commit (FLUSH_PENDING_SEARCH_SQL below), in the same
 * transaction. The words indexed are the entry's text at that moment, so an entry edited in
 * the same transaction is indexed once, as it ends up; one that is no longer shown, or has no
 * text, is not indexed, exactly as 006's triggers decided.
 */
export const SEARCH_PENDING_SQL = `
CREATE TABLE search_pending (key TEXT PRIMARY KEY) WITHOUT ROWID;

DROP TRIGGER search_entry_added;
CREATE TRIGGER search_entry_added AFTER INSERT ON events
WHEN new.shown = 1 AND new.text <> '' AND new.kind IN (SELECT kind FROM search_text_kinds)
BEGIN
  INSERT OR IGNORE INTO search_pending (key) VALUES (new.id);
END;

DROP TRIGGER search_entry_changed;
CREATE TRIGGER search_entry_changed AFTER UPDATE OF text, shown ON events
WHEN (old.text IS NOT new.text OR old.shown IS NOT new.shown) AND new.kind IN (SELECT kind FROM search_text_kinds)
BEGIN
  DELETE FROM search_fts WHERE rowid = (SELECT doc FROM search_docs WHERE key = old.id);
  DELETE FROM search_docs WHERE key = old.id;
  INSERT OR IGNORE INTO search_pending (key) VALUES (new.id);
END;

DROP TRIGGER search_entry_removed;
CREATE TRIGGER search_entry_removed AFTER DELETE ON events
BEGIN
  DELETE FROM search_fts WHERE rowid = (SELECT doc FROM search_docs WHERE key = old.id);
  DELETE FROM search_docs WHERE key = old.id;
  DELETE FROM search_pending WHERE key = old.id;
END;
`;

/**
 * The statements that index the queued entries, in order; run by the writer inside its
 * transaction, before commit. A queued entry never has a search_docs row (the triggers delete
 * it before queueing), so every doc made here is new and gets its words once. CROSS JOIN fixes
 * the join order: left to itself the planner scans all of `events` (an index it finds cheaper
 * without statistics), which made a catch-up quadratic.
 */
export const FLUSH_PENDING_SEARCH_SQL = [
  `INSERT OR IGNORE INTO search_docs (key, incident_id, hlc, kind)
     SELECT e.id, e.incident_id, e.hlc, e.kind FROM search_pending p CROSS JOIN events e ON e.id = p.key
     WHERE e.shown = 1 AND e.text <> ''`,
  `INSERT INTO search_fts (rowid, body, scope)
     SELECT d.doc, e.text, 'x' || replace(e.incident_id, '-', '')
     FROM search_pending p CROSS JOIN search_docs d ON d.key = p.key CROSS JOIN events e ON e.id = p.key
     WHERE e.shown = 1 AND e.text <> ''`,
  'DELETE FROM search_pending',
] as const;

export const searchBatched: Migration = {
  version: 9,
  name: 'search-batched',
  up(db) {
    db.exec(SEARCH_PENDING_SQL);
  },
};
