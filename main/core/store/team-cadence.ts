import { DEFAULT_CADENCE, type Cadence } from '../../../shared/domain/cadence.js';
import type { EffectiveCadence } from '../../../shared/api/cadence-methods.js';
import { CADENCE_SETTING, type TeamCadence } from '../../../shared/updates/cadence-protocol.js';
import type { TeamSettingsCache } from './team-settings.js';

/*
 * The team's update cadence as the hub last answered (one key of the cockpit's team settings,
 * team-settings.ts), so every countdown keeps the team's rhythm with the hub down.
 */
export class TeamCadenceStore {
  constructor(private readonly settings: TeamSettingsCache) {}

  /** What the countdowns use, and where it comes from. */
  effective(): EffectiveCadence {
    const s = this.settings.read(CADENCE_SETTING);
    if (s.value !== null) return { cadence: s.value, source: 'team', setBy: s.setBy, setAt: s.setAt, checkedAt: s.checkedAt, defaults: DEFAULT_CADENCE };
    return { cadence: DEFAULT_CADENCE, source: 'defaults', setBy: null, setAt: null, checkedAt: s.checkedAt, defaults: DEFAULT_CADENCE };
  }

  cadence(): Cadence {
    return this.effective().cadence;
  }

  /** Keeps the hub's answer. True when the cadence (or who set it) changed, not just when it was checked. */
  remember(answer: TeamCadence, checkedAt = new Date().toISOString()): boolean {
    return this.settings.remember(CADENCE_SETTING, { value: answer.cadence, setBy: answer.setBy, setAt: answer.setAt }, checkedAt);
  }
}
