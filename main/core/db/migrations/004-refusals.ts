import type { Migration } from './migration.js';

/*
 * What the hub refused, and what a redaction has not yet been allowed to destroy.
 *
 * refused_events: a local event the hub refused stays in `events` (its writer sees it, marked
 * refused with the hub's code and sentence, and can discard or resend it) but is folded out of
 * the incident's state and timeline. Refusals recorded before this migration, as a JSON list in
 * sync_state, move here; `projection.rebuild` asks the event store to re-fold their incidents.
 *
 * held_words: a local redaction scrubs its target's words from `events` at once, but is not
 * final until the hub accepts it; until then the original payloads wait here, so a refused
 * redaction loses nothing. Rows leave when the hub accepts the redaction (the words are then
 * gone for good) or refuses it (they are put back).
 *
 * redactions: keyed by incident as well as target, so a redaction naming an entry of another
 * incident can never blank it, whichever arrives first.
 */
export const refusals: Migration = {
  version: 4,
  name: 'refusals',
  up(db) {
    db.exec(`
      CREATE TABLE refused_events (
        event_id TEXT PRIMARY KEY,
        code TEXT NOT NULL,
        message TEXT NOT NULL,
        at TEXT NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE held_words (
        event_id TEXT PRIMARY KEY,
        redaction_id TEXT NOT NULL,
        payload TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX held_words_by_redaction ON held_words (redaction_id);

      CREATE TABLE redactions_by_incident (
        incident_id TEXT NOT NULL,
        target_id TEXT NOT NULL,
        reason TEXT NOT NULL,
        PRIMARY KEY (incident_id, target_id)
      ) WITHOUT ROWID;
      INSERT INTO redactions_by_incident (incident_id, target_id, reason)
        SELECT r.incident_id, r.target_id, min(json_extract(r.payload, '$.reason'))
        FROM events r JOIN events t ON t.id = r.target_id AND t.incident_id = r.incident_id
        WHERE r.kind = 'entry.redacted'
        GROUP BY r.incident_id, r.target_id;
      DROP TABLE redactions;
      ALTER TABLE redactions_by_incident RENAME TO redactions;

      -- The timeline row also says who wrote the text shown and whether the hub refused it.
      DROP VIEW timeline_items;
      CREATE VIEW timeline_items AS
        SELECT id AS event_id, incident_id, hlc, kind, author_id, author_name, text, pinned, edited, redacted, redacted_reason,
               text_hlc, text_id, pin_hlc, pin_id,
               CASE WHEN edited = 1 THEN (SELECT ed.author_name FROM events ed WHERE ed.id = events.text_id) END AS edited_by,
               (SELECT json_object('code', r.code, 'message', r.message) FROM refused_events r WHERE r.event_id = events.id) AS refused
        FROM events WHERE shown = 1;
    `);
    const old = db.prepare<[], { value: string }>("SELECT value FROM sync_state WHERE key = 'push.rejected'").get();
    if (old) {
      const list = JSON.parse(old.value) as Array<{ id: string; code: string; message: string; at: string }>;
      const insert = db.prepare('INSERT OR REPLACE INTO refused_events (event_id, code, message, at) SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM events WHERE id = ?)');
      for (const r of list) insert.run(r.id, r.code, r.message, r.at, r.id);
      db.prepare("DELETE FROM sync_state WHERE key = 'push.rejected'").run();
    }
    const incidents = db
      .prepare<[], { incident_id: string }>('SELECT DISTINCT e.incident_id FROM refused_events r JOIN events e ON e.id = r.event_id')
      .all()
      .map((r) => r.incident_id);
    if (incidents.length) {
      db.prepare("INSERT OR REPLACE INTO sync_state (key, value) VALUES ('projection.rebuild', ?)").run(JSON.stringify(incidents));
    }
  },
};
