import { applyCadenceChanges, CadenceSchema, DEFAULT_CADENCE, sameCadence, type Cadence, type CadenceChanges } from '../../shared/domain/cadence.js';
import type { TeamCadence } from '../../shared/updates/cadence-protocol.js';

/*
 * A team's stakeholder-update cadence in the hub store (team_settings, key 'update-cadence':
 * SQLite migration 9, Postgres migration 8). Both stores implement it (sqlite-cadence.ts,
 * postgres-cadence.ts); the read-modify-write is one transaction, so two admins changing
 * different severities at once both land.
 */

export const CADENCE_KEY = 'update-cadence';

/** Who changed it from the hub's own machine (`conn hub cadence`), where there is no member. */
export const HUB_OPERATOR = 'hub operator';

export interface CadenceStore {
  /** The team's setting (null cadence: none set). 'not-found' for a team this hub does not have. */
  cadence(team: string): Promise<TeamCadence>;
  /**
   * Applies changes to the team's current cadence (the defaults when it has none), or with
   * `null` goes back to the defaults. `changed` is false when nothing differs.
   */
  setCadence(team: string, changes: CadenceChanges | null, by: string): Promise<{ team: TeamCadence; changed: boolean }>;
}

/** The stored JSON, checked again on the way out: a hand-edited row must not reach cockpits half-valid. */
export function storedCadence(value: string): Cadence {
  return CadenceSchema.parse(JSON.parse(value));
}

/** What a change makes of the current setting; null = no row (the defaults). */
export function nextCadence(current: Cadence | null, changes: CadenceChanges | null): { next: Cadence | null; changed: boolean } {
  if (changes === null) return { next: null, changed: current !== null };
  const next = applyCadenceChanges(current ?? DEFAULT_CADENCE, changes);
  return { next, changed: current === null || !sameCadence(current, next) };
}
