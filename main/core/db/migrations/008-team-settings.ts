import type { Migration } from './migration.js';

/*
 * The team's settings as the hub last answered them (today one: 'update-cadence', the team's
 * stakeholder-update cadence), so the countdowns keep the team's rhythm with the hub down.
 * `value` is NULL when the hub said the team has set none (then Conn's defaults apply, and the
 * cockpit can say so); no row means this cockpit has not heard from a hub yet. `checked_at` is
 * when the hub last answered.
 */
export const teamSettings: Migration = {
  version: 8,
  name: 'team-settings',
  up(db) {
    db.exec(`
      CREATE TABLE team_settings (
        key TEXT PRIMARY KEY,
        value TEXT,
        set_by TEXT,
        set_at TEXT,
        checked_at TEXT NOT NULL
      ) WITHOUT ROWID;
    `);
  },
};
