import type { z } from 'zod';
import type { ResultOf } from '../../../shared/api/contract.js';
import type { UPDATE_METHODS } from '../../../shared/api/update-methods.js';
import { ConnError } from '../../../shared/domain/errors.js';
import { draftUpdate, nextUpdateAfterPosting } from '../../../shared/reports/update-draft.js';
import { DeliveriesListResponseSchema, DELIVERY_HUB_EVENTS } from '../../../shared/updates/delivery-protocol.js';
import type { Core } from '../open.js';
import { loadConnection } from '../sync/connection.js';
import { withHub } from '../sync/hub-link.js';

/*
 * Drafting a stakeholder update (pure, from the folded state) and asking the hub what became of
 * each one. The hub delivers, so only it knows; the question is a short one-shot request that
 * never holds up the cockpit: no hub, or no answer within a few seconds, is an answer too.
 */

type UpdateMethod = keyof typeof UPDATE_METHODS;
type UpdateHandlers = { [M in UpdateMethod]: (core: Core, params: z.output<(typeof UPDATE_METHODS)[M]>) => ResultOf<M> | Promise<ResultOf<M>> };

const ASK_TIMEOUT_MS = 5_000;

export const UPDATE_HANDLERS: UpdateHandlers = {
  'updates.draft': (core, p) => {
    const state = core.incidents.get(p.incidentId);
    const audience = p.audience ?? 'internal';
    const now = new Date();
    const cadence = core.cadence.cadence();
    const text = draftUpdate({ state, audience, timeZone: core.profile.get().timeZone, now, cadence });
    return { text, audience, nextUpdateDueAt: nextUpdateAfterPosting(state, now, cadence) };
  },
  'updates.deliveries': async (core, p) => {
    core.incidents.get(p.incidentId); // not-found for an unknown incident, before any network
    const conn = loadConnection(core);
    if (!conn) return { source: 'unavailable', deliveries: [], reason: 'this cockpit is not connected to a hub, and the hub is what delivers updates' };
    try {
      const answer = await withHub(conn, ASK_TIMEOUT_MS, async (request) => DeliveriesListResponseSchema.parse(await request(DELIVERY_HUB_EVENTS.list, { incidentId: p.incidentId })));
      return { source: 'hub', deliveries: answer.deliveries, reason: null };
    } catch (err) {
      const why = err instanceof ConnError ? err.message : `the hub did not answer (${err instanceof Error ? err.message : String(err)})`;
      return { source: 'unavailable', deliveries: [], reason: why };
    }
  },
};
