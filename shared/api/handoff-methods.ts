import { z } from 'zod';
import { IdSchema } from '../domain/ids.js';
import { LIMITS } from '../domain/limits.js';
import { RoleSchema } from '../domain/roles.js';

/**
 * The hand-off methods of the API contract (spread into METHODS in shared/api/contract.ts).
 * Offering and accepting are plain `events.append`s (handoff.offered, handoff.accepted); what
 * needs the core is drafting the brief, which reads the timeline since the role last changed
 * hands, so the app's dialog and `conn handoff offer` start from the same text.
 */
export const HANDOFF_METHODS = {
  /** A brief for offering `role` (commander by default) to `to` (anyone when null), not yet sent. */
  'handoff.draft': z
    .object({
      incidentId: IdSchema,
      role: RoleSchema.optional(),
      to: z.string().trim().min(1).max(LIMITS.nameChars).nullable().optional(),
    })
    .strict(),
} as const;

export interface HandoffDraft {
  role: string;
  to: string | null;
  /** The zone the brief's times are in: the recipient's when their profile is known, else the writer's. */
  timeZone: string;
  brief: string;
}

/** The hand-off methods' results, part of Results (shared/api/results.ts). */
export interface HandoffResults {
  'handoff.draft': HandoffDraft;
}
