import type Database from 'better-sqlite3';
import { ConnError } from '../../shared/domain/errors.js';
import { checkTeamName } from '../store/names.js';
import type { StoredTeamSetting, TeamSettingsStore } from './team-settings-store.js';

/** A team's settings in the embedded hub store (team_settings, migration 9). */
export function sqliteTeamSettingsStore(db: Database.Database): TeamSettingsStore {
  const q = {
    team: db.prepare<[string], { id: string }>('SELECT id FROM teams WHERE name = ?'),
    get: db.prepare<[string, string], { value: string; updated_by: string; updated_at: string }>(
      'SELECT value, updated_by, updated_at FROM team_settings WHERE team_id = ? AND key = ?',
    ),
    put: db.prepare<[string, string, string, string, string]>(
      `INSERT INTO team_settings (team_id, key, value, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (team_id, key) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
    ),
    clear: db.prepare<[string, string]>('DELETE FROM team_settings WHERE team_id = ? AND key = ?'),
  };
  const teamId = (team: string): string => {
    const t = q.team.get(checkTeamName(team));
    if (!t) throw new ConnError('not-found', `there is no team "${team}" on this hub: invite someone to it first (conn hub invite NAME --team ${team})`);
    return t.id;
  };
  const read = (id: string, key: string): StoredTeamSetting | null => {
    const row = q.get.get(id, key);
    return row ? { value: row.value, setBy: row.updated_by, setAt: row.updated_at } : null;
  };
  return {
    read: async (team, key) => read(teamId(team), key),
    update: async (team, key, by, next) =>
      db
        .transaction(() => {
          const id = teamId(team);
          const value = next(read(id, key)?.value ?? null);
          if (value === null) q.clear.run(id, key);
          else if (value !== undefined) q.put.run(id, key, value, by, new Date().toISOString());
          return read(id, key);
        })
        .immediate(),
  };
}
