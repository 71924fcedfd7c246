import type { Migration } from './migration.js';

/*
 * The runbook library. `runbooks` holds each runbook's head (the newest version) and is what
 * lists read; `runbook_versions` keeps every version's full text so old ones stay readable;
 * `runbook_fts` indexes the head only. The FTS table keeps its own copy of the text (not an
 * external-content table) so snippet() never has to join back, and its rowid is runbooks.id.
 * prefix='2 3' builds prefix indexes so `po*` and `pos*` are index lookups, not term scans.
 */
export const RUNBOOKS_SQL = `
CREATE TABLE runbooks (
  id INTEGER PRIMARY KEY,
  uid TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  services TEXT NOT NULL DEFAULT '[]',
  tags TEXT NOT NULL DEFAULT '[]',
  owner TEXT,
  last_verified TEXT,
  version INTEGER NOT NULL,
  hash TEXT NOT NULL,
  author TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  step_count INTEGER NOT NULL DEFAULT 0,
  -- the hub's sequence number of the head when it came from (or went to) the hub; NULL if local only
  hub_seq INTEGER
);
CREATE TABLE runbook_versions (
  runbook_id INTEGER NOT NULL REFERENCES runbooks(id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  hash TEXT NOT NULL,
  content TEXT NOT NULL,
  author TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (runbook_id, version)
) WITHOUT ROWID;
CREATE VIRTUAL TABLE runbook_fts USING fts5(
  name, title, services, tags, body,
  prefix = '2 3',
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TABLE runbook_settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE breakglass (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  content TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  author TEXT NOT NULL
);
`;

export const runbooks: Migration = {
  version: 2,
  name: 'runbooks',
  up(db) {
    db.exec(RUNBOOKS_SQL);
  },
};
