import type { Migration } from './migration.js';

/*
 * The first schema: the event log (the source of truth) and the projections read by the UI and
 * the CLI. Projections are caches of the fold: they can always be rebuilt from `events`.
 */
export const initial: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE events (
        id TEXT PRIMARY KEY,
        incident_id TEXT NOT NULL,
        hlc TEXT NOT NULL,
        kind TEXT NOT NULL,
        author_id TEXT NOT NULL,
        author_name TEXT NOT NULL,
        -- The timeline projection lives in the event's own row (read through the timeline_items
        -- view): one b-tree write per event instead of two keeps ingest within 2x of raw
        -- inserts. shown = 0 for edits, pins and redactions, which fold into their targets.
        shown INTEGER NOT NULL DEFAULT 1,
        text TEXT NOT NULL DEFAULT '',
        pinned INTEGER NOT NULL DEFAULT 0,
        edited INTEGER NOT NULL DEFAULT 0,
        redacted INTEGER NOT NULL DEFAULT 0,
        redacted_reason TEXT,
        -- (hlc, id) of the edit and the pin currently shown: last-writer-wins without re-reading.
        text_hlc TEXT,
        text_id TEXT,
        pin_hlc TEXT,
        pin_id TEXT,
        payload TEXT NOT NULL,
        supersedes TEXT,
        -- The event an edit, pin, redaction or update points at, so a target that arrives after
        -- its edits can find them with one indexed lookup.
        target_id TEXT,
        local INTEGER NOT NULL DEFAULT 0,
        received_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      -- Keyset windows walk this index from a cursor; never OFFSET.
      CREATE INDEX events_by_incident ON events (incident_id, hlc, id);
      CREATE INDEX events_pinned ON events (incident_id, hlc, id) WHERE pinned = 1;
      CREATE INDEX events_by_target ON events (target_id) WHERE target_id IS NOT NULL;
      CREATE VIEW timeline_items AS
        SELECT id AS event_id, incident_id, hlc, kind, author_id, author_name, text, pinned, edited, redacted, redacted_reason,
               text_hlc, text_id, pin_hlc, pin_id
        FROM events WHERE shown = 1;

      CREATE TABLE incidents (
        id TEXT PRIMARY KEY,
        ref TEXT NOT NULL,
        title TEXT NOT NULL DEFAULT '',
        severity INTEGER NOT NULL DEFAULT 3,
        status TEXT NOT NULL DEFAULT 'triage',
        declared_at TEXT,
        updated_at TEXT,
        last_hlc TEXT,
        event_count INTEGER NOT NULL DEFAULT 0,
        acc_json TEXT NOT NULL,
        state_json TEXT NOT NULL
      );
      CREATE INDEX incidents_by_ref ON incidents (ref);

      -- A redaction can arrive before its target; this row makes it apply when the target lands.
      CREATE TABLE redactions (target_id TEXT PRIMARY KEY, reason TEXT NOT NULL) WITHOUT ROWID;

      -- Every locally written event, in write order, until the hub has acknowledged it.
      CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL UNIQUE);

      CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    `);
  },
};
