import type { Cadence, CadenceChanges } from '../../shared/domain/cadence.js';
import { ConnError } from '../../shared/domain/errors.js';
import { CADENCE_SETTING, type TeamCadence } from '../../shared/updates/cadence-protocol.js';
import { nextTeamSetting, TeamSettingKeySchema, type TeamSetting, type TeamSettingDef } from '../../shared/sync/team-settings.js';

/*
 * A team's settings in the hub store (team_settings: SQLite migration 9, Postgres migration 8),
 * one row per team and key, the value as JSON. Both stores implement the raw row access
 * (sqlite-team-settings.ts, postgres-team-settings.ts); what a value means is the def's
 * (shared/sync/team-settings.ts), checked here on the way in and on the way out. A change is one
 * read-modify-write transaction, so two admins changing different parts at once both land.
 */

/** Who changed it from the hub's own machine (`conn hub cadence`), where there is no member. */
export const HUB_OPERATOR = 'hub operator';

/** The stored row; null value is never stored (no row means the team has set none). */
export interface StoredTeamSetting {
  value: string;
  setBy: string;
  setAt: string;
}

export interface TeamSettingsStore {
  /** The team's row for `key`, null when it has none. 'not-found' for a team this hub does not have. */
  read(team: string, key: string): Promise<StoredTeamSetting | null>;
  /**
   * In one transaction: reads the row, asks `next` what it becomes (undefined: unchanged; null:
   * no row), writes it, and answers the row after.
   */
  update(team: string, key: string, by: string, next: (current: string | null) => string | null | undefined): Promise<StoredTeamSetting | null>;
}

function keyOf(def: TeamSettingDef<unknown, unknown>): string {
  const k = TeamSettingKeySchema.safeParse(def.key);
  if (!k.success) throw new ConnError('invalid-input', `"${def.key}" is not a team setting key`);
  return k.data;
}

/** The stored JSON, checked again on the way out: a hand-edited row must not reach cockpits half-valid. */
function valueOf<T>(def: TeamSettingDef<T, unknown>, row: StoredTeamSetting | null): TeamSetting<T> {
  return row ? { value: def.schema.parse(JSON.parse(row.value)), setBy: row.setBy, setAt: row.setAt } : { value: null, setBy: null, setAt: null };
}

export async function readTeamSetting<T>(store: TeamSettingsStore, team: string, def: TeamSettingDef<T, unknown>): Promise<TeamSetting<T>> {
  return valueOf(def, await store.read(team, keyOf(def)));
}

/** Applies changes to the team's value (the defaults when it has none), or with null goes back to the defaults. */
export async function setTeamSetting<T, C>(store: TeamSettingsStore, team: string, def: TeamSettingDef<T, C>, changes: C | null, by: string): Promise<{ team: TeamSetting<T>; changed: boolean }> {
  let changed = false;
  const row = await store.update(team, keyOf(def), by, (current) => {
    const r = nextTeamSetting(def, current === null ? null : def.schema.parse(JSON.parse(current)), changes);
    changed = r.changed;
    if (!r.changed) return undefined;
    return r.next === null ? null : JSON.stringify(def.schema.parse(r.next));
  });
  return { team: valueOf(def, row), changed };
}

/** The update cadence in the shape it shipped with (`conn hub cadence`, the hub tests). */
export interface CadenceStore {
  cadence(team: string): Promise<TeamCadence>;
  setCadence(team: string, changes: CadenceChanges | null, by: string): Promise<{ team: TeamCadence; changed: boolean }>;
}

const asCadence = (s: TeamSetting<Cadence>): TeamCadence => ({ cadence: s.value, setBy: s.setBy, setAt: s.setAt });

export function cadenceStoreOf(store: TeamSettingsStore): CadenceStore {
  return {
    cadence: async (team) => asCadence(await readTeamSetting(store, team, CADENCE_SETTING)),
    setCadence: async (team, changes, by) => {
      const r = await setTeamSetting(store, team, CADENCE_SETTING, changes, by);
      return { team: asCadence(r.team), changed: r.changed };
    },
  };
}
