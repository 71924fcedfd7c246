import { z } from 'zod';
import type { TeamSettingDef } from '../sync/team-settings.js';
import { DEFAULT_SLO, SloSettingsSchema, type SloSettings } from './reliability.js';

/*
 * The team's SLO (what uptime is measured against) as one of the team's settings
 * (shared/sync/team-settings.ts), key 'slo': the hub keeps it, admins change it, every cockpit
 * caches it, so two teammates' reports measure against the same target, offline too.
 *
 * Client → hub (with an ack): 'slo.get' {} → {slo, setBy, setAt}
 *                             'slo.set' {changes} | {reset: true} → {team, changed} (admins only)
 * Hub → client (no ack):      'slo' {by}: the team's SLO changed; ask again.
 */

/** Some of the SLO's fields; the others keep the team's (or the defaults). At least one. */
export const SloChangesSchema = SloSettingsSchema.partial()
  .strict()
  .refine((c) => Object.keys(c).length > 0, 'name at least one of targetPercent, downtimeSeverity, services');
export type SloChanges = z.infer<typeof SloChangesSchema>;

function sameSlo(a: SloSettings, b: SloSettings): boolean {
  const [sa, sb] = [Object.entries(a.services).sort(), Object.entries(b.services).sort()];
  return a.targetPercent === b.targetPercent && a.downtimeSeverity === b.downtimeSeverity && sa.length === sb.length && sa.every(([k, v], i) => sb[i]![0] === k && sb[i]![1] === v);
}

export const SLO_SETTING: TeamSettingDef<SloSettings, SloChanges> = {
  key: 'slo',
  field: 'slo',
  what: 'SLO',
  schema: SloSettingsSchema,
  changes: SloChangesSchema,
  defaults: DEFAULT_SLO,
  // `services`, when given, is the whole map (a service left out has no target of its own).
  apply: (base, changes) => SloSettingsSchema.parse({ ...base, ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) }),
  same: sameSlo,
  events: { get: 'slo.get', set: 'slo.set', changed: 'slo' },
};
