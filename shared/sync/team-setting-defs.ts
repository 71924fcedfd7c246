import { SLO_SETTING } from '../reports/slo-protocol.js';
import { CADENCE_SETTING } from '../updates/cadence-protocol.js';
import type { AnyTeamSettingDef } from './team-settings.js';

/** Every team setting the hub serves and a cockpit pulls (shared/sync/team-settings.ts). */
export const TEAM_SETTINGS: readonly AnyTeamSettingDef[] = [CADENCE_SETTING, SLO_SETTING];
