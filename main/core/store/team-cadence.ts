import { CadenceSchema, DEFAULT_CADENCE, type Cadence } from '../../../shared/domain/cadence.js';
import type { EffectiveCadence } from '../../../shared/api/cadence-methods.js';
import type { TeamCadence } from '../../../shared/updates/cadence-protocol.js';
import type { Db } from '../db/database.js';

/*
 * The team's update cadence as the hub last answered (team_settings, migration 9), so every
 * countdown keeps the team's rhythm with the hub down. The hub is the authority: this is a copy,
 * replaced whole by each answer, never edited here.
 */

const KEY = 'update-cadence';

interface Row {
  value: string | null;
  set_by: string | null;
  set_at: string | null;
  checked_at: string;
}

export class TeamCadenceStore {
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

  /** What the countdowns use, and where it comes from. */
  effective(): EffectiveCadence {
    const row = this.q.get.get(KEY);
    const stored = row?.value ? CadenceSchema.safeParse(JSON.parse(row.value)) : null;
    // A row this Conn cannot read (written by a newer one, say) counts as no setting: the defaults.
    if (row && stored?.success) {
      return { cadence: stored.data, source: 'team', setBy: row.set_by, setAt: row.set_at, checkedAt: row.checked_at, defaults: DEFAULT_CADENCE };
    }
    return { cadence: DEFAULT_CADENCE, source: 'defaults', setBy: null, setAt: null, checkedAt: row?.checked_at ?? null, defaults: DEFAULT_CADENCE };
  }

  cadence(): Cadence {
    return this.effective().cadence;
  }

  /** Keeps the hub's answer. True when the cadence (or who set it) changed, not just when it was checked. */
  remember(answer: TeamCadence, checkedAt = new Date().toISOString()): boolean {
    const before = this.q.get.get(KEY);
    const value = answer.cadence === null ? null : JSON.stringify(answer.cadence);
    this.q.put.run(KEY, value, answer.setBy, answer.setAt, checkedAt);
    return !before || before.value !== value || before.set_by !== answer.setBy || before.set_at !== answer.setAt;
  }
}
