import { z } from 'zod';
import { CadenceChangesSchema, CadenceSchema } from '../domain/cadence.js';

/*
 * A team's stakeholder-update cadence on the wire. It is team configuration, not an incident's
 * event: the hub keeps it (team_settings), cockpits pull it after each subscribe and on the
 * hub's notice and keep the last answer, so it holds offline. A cockpit that never heard from
 * the hub, or a team that set none, uses Conn's defaults (DEFAULT_CADENCE).
 *
 * Client → hub (with an ack): 'cadence.get' {} → TeamCadence
 *                             'cadence.set' {changes} | {reset: true} → CadenceSetAck (admins only)
 * Hub → client (no ack):      'cadence' {by}: the team's cadence changed; ask again.
 */

export const CADENCE_HUB_EVENTS = {
  get: 'cadence.get',
  set: 'cadence.set',
  changed: 'cadence',
} as const;

/** The team's setting: null `cadence` when the team has set none (then everyone uses the defaults). */
export const TeamCadenceSchema = z.object({
  cadence: CadenceSchema.nullable(),
  /** Who set it (a member's name, or "hub operator" for `conn hub cadence` on the hub's machine). */
  setBy: z.string().max(200).nullable(),
  setAt: z.string().max(64).nullable(),
});
export type TeamCadence = z.infer<typeof TeamCadenceSchema>;

export const CadenceGetRequestSchema = z.object({}).strict();

/**
 * Changes to some severities (the others keep the team's current entry, or the default), or a
 * reset to Conn's defaults. Only a team admin may; the hub refuses anyone else with 'forbidden'
 * and changes nothing.
 */
export const CadenceSetRequestSchema = z
  .object({ changes: CadenceChangesSchema.optional(), reset: z.literal(true).optional() })
  .strict()
  .refine((r) => (r.changes === undefined) !== (r.reset === undefined), 'give either changes to some severities or reset, not both');
export type CadenceSetRequest = z.infer<typeof CadenceSetRequestSchema>;

/** `changed` is false when the team's cadence already was exactly this (then nobody is told). */
export const CadenceSetAckSchema = z.object({ team: TeamCadenceSchema, changed: z.boolean() });
export type CadenceSetAck = z.infer<typeof CadenceSetAckSchema>;

export const CadenceChangedSchema = z.object({ by: z.string().max(200) });
export type CadenceChanged = z.infer<typeof CadenceChangedSchema>;
