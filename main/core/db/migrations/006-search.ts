import { TEXT_KINDS } from '../../../../shared/domain/events.js';
import type { FoldAcc, IncidentState } from '../../../../shared/domain/fold.js';
import { incidentSearchText } from '../../../../shared/search/incident-text.js';
import type { Migration } from './migration.js';

/*
 * Full-text search over incidents and their timelines (main/core/store/search-index.ts).
 *
 * search_docs: one row per searchable thing, keyed by what it is: an entry's event id, or
 * `incident:` + the incident id for its title, summary, services and retrospective. Its integer
 * `doc` is the FTS rowid, so an entry can be found, re-indexed or dropped by its id with one
 * index probe (`events` is WITHOUT ROWID and cannot lend its own).
 *
 * search_fts keeps its own copy of the text (not external content) so snippet() and highlight()
 * never join back. `scope` holds one token per document, `x` + the incident id's hex: a timeline
 * search ANDs it into the query, so FTS5 intersects with that incident's doclist instead of
 * scoring every incident's hits and filtering afterwards. prefix='2 3' serves search as you type.
 * secure-delete: a redacted entry's words leave the index's pages at once, not at the next merge.
 *
 * Entries are indexed by triggers on `events`, so every path that changes what an entry shows
 * (a new entry, an edit, a redaction, a re-fold after a refusal, a discarded event) updates the
 * index in the same transaction, without each writer having to remember it. Which kinds are
 * entries with words is TEXT_KINDS (shared/domain/events.ts), copied into search_text_kinds here
 * and again each time a core opens (SearchIndex), so a text kind added later is indexed without
 * a new migration. Incident documents come from the fold (Projector.flush → SearchIndex).
 */
export const SEARCH_SQL = `
CREATE TABLE search_docs (
  doc INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  incident_id TEXT NOT NULL,
  -- the entry's (hlc, kind), so a hit is a timeline cursor; NULL for an incident document
  hlc TEXT,
  kind TEXT
);
CREATE INDEX search_docs_by_incident ON search_docs (incident_id);
CREATE VIRTUAL TABLE search_fts USING fts5(
  body, scope,
  prefix = '2 3',
  tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO search_fts (search_fts, rank) VALUES ('secure-delete', 1);
CREATE TABLE search_text_kinds (kind TEXT PRIMARY KEY) WITHOUT ROWID;

CREATE TRIGGER search_entry_added AFTER INSERT ON events
WHEN new.shown = 1 AND new.text <> '' AND new.kind IN (SELECT kind FROM search_text_kinds)
BEGIN
  INSERT OR IGNORE INTO search_docs (key, incident_id, hlc, kind) VALUES (new.id, new.incident_id, new.hlc, new.kind);
  INSERT INTO search_fts (rowid, body, scope)
    SELECT doc, new.text, 'x' || replace(new.incident_id, '-', '') FROM search_docs WHERE key = new.id;
END;

CREATE TRIGGER search_entry_changed AFTER UPDATE OF text, shown ON events
WHEN (old.text IS NOT new.text OR old.shown IS NOT new.shown) AND new.kind IN (SELECT kind FROM search_text_kinds)
BEGIN
  DELETE FROM search_fts WHERE rowid = (SELECT doc FROM search_docs WHERE key = old.id);
  DELETE FROM search_docs WHERE key = old.id;
  INSERT INTO search_docs (key, incident_id, hlc, kind)
    SELECT new.id, new.incident_id, new.hlc, new.kind WHERE new.shown = 1 AND new.text <> '';
  INSERT INTO search_fts (rowid, body, scope)
    SELECT doc, new.text, 'x' || replace(new.incident_id, '-', '') FROM search_docs WHERE key = new.id;
END;

CREATE TRIGGER search_entry_removed AFTER DELETE ON events
BEGIN
  DELETE FROM search_fts WHERE rowid = (SELECT doc FROM search_docs WHERE key = old.id);
  DELETE FROM search_docs WHERE key = old.id;
END;
`;

export const search: Migration = {
  version: 6,
  name: 'search',
  up(db) {
    db.exec(SEARCH_SQL);
    const kind = db.prepare('INSERT OR IGNORE INTO search_text_kinds (kind) VALUES (?)');
    for (const k of TEXT_KINDS) kind.run(k);
    // Backfill: the triggers only see writes from now on.
    db.exec(`
      INSERT INTO search_docs (key, incident_id, hlc, kind)
        SELECT id, incident_id, hlc, kind FROM events
        WHERE shown = 1 AND text <> '' AND kind IN (SELECT kind FROM search_text_kinds);
      INSERT INTO search_fts (rowid, body, scope)
        SELECT d.doc, e.text, 'x' || replace(e.incident_id, '-', '') FROM search_docs d JOIN events e ON e.id = d.key;
    `);
    const addDoc = db.prepare('INSERT INTO search_docs (key, incident_id) VALUES (?, ?)');
    const addText = db.prepare("INSERT INTO search_fts (rowid, body, scope) VALUES (?, ?, 'x' || replace(?, '-', ''))");
    for (const row of db.prepare<[], { id: string; acc_json: string; state_json: string }>('SELECT id, acc_json, state_json FROM incidents').all()) {
      const text = incidentSearchText(JSON.parse(row.state_json) as IncidentState, JSON.parse(row.acc_json) as FoldAcc);
      if (text === '') continue;
      const { lastInsertRowid } = addDoc.run(`incident:${row.id}`, row.id);
      addText.run(lastInsertRowid, text, row.id);
    }
  },
};
