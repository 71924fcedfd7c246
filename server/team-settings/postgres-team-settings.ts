import type pg from 'pg';
import { ConnError } from '../../shared/domain/errors.js';
import { withPgTransaction } from '../store/pg-transaction.js';
import { checkTeamName } from '../store/names.js';
import type { StoredTeamSetting, TeamSettingsStore } from './team-settings-store.js';

/**
 * A team's settings in the shared Postgres (team_settings, migration 8). A change locks the
 * team's row first (FOR UPDATE), so two nodes changing one team's setting take turns and
 * neither overwrites the other's part.
 */
export function postgresTeamSettingsStore(pool: pg.Pool, s: string): TeamSettingsStore {
  const teamIdOf = async (c: pg.ClientBase, team: string, lock: boolean): Promise<string> => {
    const t = (await c.query<{ id: string }>(`SELECT id FROM ${s}.teams WHERE name = $1${lock ? ' FOR UPDATE' : ''}`, [checkTeamName(team)])).rows[0];
    if (!t) throw new ConnError('not-found', `there is no team "${team}" on this hub: invite someone to it first (conn hub invite NAME --team ${team})`);
    return t.id;
  };
  const read = async (c: pg.ClientBase, id: string, key: string): Promise<StoredTeamSetting | null> => {
    const row = (
      await c.query<{ value: string; updated_by: string; updated_at: Date }>(`SELECT value, updated_by, updated_at FROM ${s}.team_settings WHERE team_id = $1 AND key = $2`, [id, key])
    ).rows[0];
    return row ? { value: row.value, setBy: row.updated_by, setAt: row.updated_at.toISOString() } : null;
  };
  return {
    read: async (team, key) => {
      const c = await pool.connect();
      try {
        return await read(c, await teamIdOf(c, team, false), key);
      } finally {
        c.release();
      }
    },
    update: (team, key, by, next) =>
      withPgTransaction(pool, async (c) => {
        const id = await teamIdOf(c, team, true);
        const value = next((await read(c, id, key))?.value ?? null);
        if (value === null) await c.query(`DELETE FROM ${s}.team_settings WHERE team_id = $1 AND key = $2`, [id, key]);
        else if (value !== undefined) {
          await c.query(
            `INSERT INTO ${s}.team_settings (team_id, key, value, updated_by, updated_at) VALUES ($1, $2, $3, $4, now())
             ON CONFLICT (team_id, key) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
            [id, key, value, by],
          );
        }
        return read(c, id, key);
      }),
  };
}
