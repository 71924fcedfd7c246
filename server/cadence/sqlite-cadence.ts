import type Database from 'better-sqlite3';
import { ConnError } from '../../shared/domain/errors.js';
import { checkTeamName } from '../store/names.js';
import { CADENCE_KEY, nextCadence, storedCadence, type CadenceStore } from './cadence-store.js';

/** The team cadence in the embedded hub store (team_settings, migration 9). */
export function sqliteCadenceStore(db: Database.Database): CadenceStore {
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
  const read = (id: string) => {
    const row = q.get.get(id, CADENCE_KEY);
    return row ? { cadence: storedCadence(row.value), setBy: row.updated_by, setAt: row.updated_at } : { cadence: null, setBy: null, setAt: null };
  };
  return {
    cadence: async (team) => read(teamId(team)),
    setCadence: async (team, changes, by) =>
      db
        .transaction(() => {
          const id = teamId(team);
          const { next, changed } = nextCadence(read(id).cadence, changes);
          if (changed) {
            if (next === null) q.clear.run(id, CADENCE_KEY);
            else q.put.run(id, CADENCE_KEY, JSON.stringify(next), by, new Date().toISOString());
          }
          return { team: read(id), changed };
        })
        .immediate(),
  };
}
