import { z } from 'zod';
import { IdSchema } from '../domain/ids.js';
import { UPDATE_AUDIENCES } from '../reports/update-draft.js';
import type { DeliveryStatus } from '../updates/delivery-protocol.js';

/*
 * The stakeholder-update methods of the API contract (spread into METHODS in contract.ts and
 * into Results in results.ts). Posting an update is `events.append` with `update.posted`; these
 * draft one and say what became of each one's delivery, which only the hub knows.
 */
export const UPDATE_METHODS = {
  /** A draft from the incident's state for the writer to edit, and when the next update falls due if it is posted now. */
  'updates.draft': z.object({ incidentId: IdSchema, audience: z.enum(UPDATE_AUDIENCES).optional() }).strict(),
  /** Each update's delivery to each of the team's channels, as the hub answers now. */
  'updates.deliveries': z.object({ incidentId: IdSchema }).strict(),
} as const;

export interface UpdateDraft {
  text: string;
  audience: (typeof UPDATE_AUDIENCES)[number];
  /** When the next update is due if this one is posted now; null when none is owed. */
  nextUpdateDueAt: string | null;
}

/**
 * `source` is 'hub' when the hub answered now. When it did not (no hub configured, or no answer),
 * it is 'last-known' with what the hub said at `asOf`, if this cockpit ever asked about this
 * incident, else 'unavailable' with `deliveries` empty; `reason` says why the hub was not asked
 * or did not answer. Delivery state lives on the hub and moves while a cockpit is away.
 */
export interface UpdateDeliveries {
  source: 'hub' | 'last-known' | 'unavailable';
  deliveries: DeliveryStatus[];
  reason: string | null;
  /** When the hub gave these deliveries: now for 'hub', earlier for 'last-known'; null for 'unavailable'. */
  asOf: string | null;
}

export interface UpdateResults {
  'updates.draft': UpdateDraft;
  'updates.deliveries': UpdateDeliveries;
}
