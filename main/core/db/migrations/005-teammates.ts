import type { Migration } from './migration.js';

/*
 * Teammates' profiles as the hub last answered 'profiles.pull': name, time zone and working
 * hours of every member of the team, so the roster, `conn team` and `conn brief --for` know each
 * person's clock with the hub down. The whole table is replaced by each pull (the hub answers
 * the whole team), so a revoked member leaves it at the next one. `hub_url` says which hub it
 * came from: connecting to another hub's team shows none of the old one's people.
 */
export const teammates: Migration = {
  version: 5,
  name: 'teammates',
  up(db) {
    db.exec(`
      CREATE TABLE teammates (
        name TEXT PRIMARY KEY COLLATE NOCASE,
        time_zone TEXT NOT NULL,
        working_hours TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) WITHOUT ROWID;
    `);
  },
};
