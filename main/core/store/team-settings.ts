import type { TeamSetting, TeamSettingDef } from '../../../shared/sync/team-settings.js';
import type { Db } from '../db/database.js';

/*
 * The team's settings as the hub last answered (team_settings, migration 008): one row per key,
 * so the cadence's countdowns and the SLO's reports keep the team's values with the hub down.
 * The hub is the authority: each row is a copy, replaced whole by each answer, never edited here.
 * `value` NULL: the hub said the team has set none; no row: this cockpit has not heard yet.
 */

interface Row {
  value: string | null;
  set_by: string | null;
  set_at: string | null;
  checked_at: string;
}

export interface CachedTeamSetting<T> extends TeamSetting<T> {
  /** When the hub last answered this cockpit about it; null when it never has. */
  checkedAt: string | null;
}

export class TeamSettingsCache {
  private readonly q;

  constructor(db: Db) {
    this.q = {
      get: db.prepare<[string], Row>('SELECT value, set_by, set_at, checked_at FROM team_settings WHERE key = ?'),
      put: db.prepare<[string, string | null, string | null, string | null, string]>(
        `INSERT INTO team_settings (key, value, set_by, set_at, checked_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, set_by = excluded.set_by, set_at = excluded.set_at, checked_at = excluded.checked_at`,
      ),
    };
  }

  /** The last answer; a value this Conn cannot read (written by a newer one, say) counts as none set. */
  read<T>(def: TeamSettingDef<T, unknown>): CachedTeamSetting<T> {
    const row = this.q.get.get(def.key);
    if (!row) return { value: null, setBy: null, setAt: null, checkedAt: null };
    const stored = row.value === null ? null : def.schema.safeParse(safeJson(row.value));
    if (stored?.success) return { value: stored.data, setBy: row.set_by, setAt: row.set_at, checkedAt: row.checked_at };
    return { value: null, setBy: null, setAt: null, checkedAt: row.checked_at };
  }

  /** Keeps the hub's answer. True when the value (or who set it) changed, not just when it was checked. */
  remember<T>(def: TeamSettingDef<T, unknown>, answer: TeamSetting<T>, checkedAt = new Date().toISOString()): boolean {
    const before = this.q.get.get(def.key);
    const value = answer.value === null ? null : JSON.stringify(answer.value);
    this.q.put.run(def.key, value, answer.setBy, answer.setAt, checkedAt);
    return !before || before.value !== value || before.set_by !== answer.setBy || before.set_at !== answer.setAt;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
