import { z } from 'zod';
import { applyCadenceChanges, CadenceChangesSchema, CadenceSchema, DEFAULT_CADENCE, sameCadence, type Cadence, type CadenceChanges } from '../domain/cadence.js';
import { type TeamSettingDef } from '../sync/team-settings.js';

/*
 * A team's stakeholder-update cadence on the wire: one of the team's settings
 * (shared/sync/team-settings.ts), key 'update-cadence'. The hub keeps it, cockpits pull it after
 * each subscribe and on the hub's notice and keep the last answer, so it holds offline. A cockpit
 * that never heard from the hub, or a team that set none, uses Conn's defaults (DEFAULT_CADENCE).
 *
 * Client → hub (with an ack): 'cadence.get' {} → TeamCadence
 *                             'cadence.set' {changes} | {reset: true} → CadenceSetAck (admins only;
 *                             changes to some severities, the others keep theirs)
 * Hub → client (no ack):      'cadence' {by}: the team's cadence changed; ask again.
 * These names and shapes shipped before the generic team settings and stay as they are.
 */

export const CADENCE_HUB_EVENTS = {
  get: 'cadence.get',
  set: 'cadence.set',
  changed: 'cadence',
} as const;

export const CADENCE_SETTING: TeamSettingDef<Cadence, CadenceChanges> = {
  key: 'update-cadence',
  field: 'cadence',
  what: 'update cadence',
  schema: CadenceSchema,
  changes: CadenceChangesSchema,
  defaults: DEFAULT_CADENCE,
  apply: applyCadenceChanges,
  same: sameCadence,
  events: CADENCE_HUB_EVENTS,
};

/** The team's setting: null `cadence` when the team has set none (then everyone uses the defaults). */
export const TeamCadenceSchema = z.object({
  cadence: CadenceSchema.nullable(),
  /** Who set it (a member's name, or "hub operator" for `conn hub cadence` on the hub's machine). */
  setBy: z.string().max(200).nullable(),
  setAt: z.string().max(64).nullable(),
});
export type TeamCadence = z.infer<typeof TeamCadenceSchema>;

/** `changed` is false when the team's cadence already was exactly this (then nobody is told). */
export const CadenceSetAckSchema = z.object({ team: TeamCadenceSchema, changed: z.boolean() });
export type CadenceSetAck = z.infer<typeof CadenceSetAckSchema>;
