import { z } from 'zod';
import type { ResultOf } from '../../../shared/api/contract.js';
import type { UPDATE_METHODS, UpdateDeliveries } from '../../../shared/api/update-methods.js';
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

/*
 * The hub's last answer per incident, kept in settings (a cache, not a table of its own: it is
 * replaced whole by each answer and may be lost without harm), so a cockpit cut off from the hub
 * still shows each update's state as last known, saying when that was.
 */
const lastKey = (incidentId: string) => `deliveries.last:${incidentId}`;
const LastKnownSchema = z.object({ at: z.string(), deliveries: DeliveriesListResponseSchema.shape.deliveries });

function remember(core: Core, incidentId: string, last: z.infer<typeof LastKnownSchema>): void {
  core.db.prepare<[string, string]>('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(lastKey(incidentId), JSON.stringify(last));
}

function lastKnown(core: Core, incidentId: string): z.infer<typeof LastKnownSchema> | null {
  const row = core.db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?').get(lastKey(incidentId));
  const parsed = row ? LastKnownSchema.safeParse(JSON.parse(row.value)) : null;
  return parsed?.success ? parsed.data : null;
}

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
    const notNow = (reason: string): UpdateDeliveries => {
      const last = lastKnown(core, p.incidentId);
      return last ? { source: 'last-known', deliveries: last.deliveries, reason, asOf: last.at } : { source: 'unavailable', deliveries: [], reason, asOf: null };
    };
    // The running connection first (the desktop keeps its token in the keychain), else a one-shot one.
    const live = core.sync.control?.hubRequest() ?? null;
    const conn = live ? null : loadConnection(core);
    if (!live && !conn) return notNow('this cockpit is not connected to a hub, and the hub is what delivers updates');
    try {
      const ask = async (request: (name: string, payload: unknown) => Promise<unknown>) =>
        DeliveriesListResponseSchema.parse(await request(DELIVERY_HUB_EVENTS.list, { incidentId: p.incidentId }));
      const answer = live ? await ask(live) : await withHub(conn!, ASK_TIMEOUT_MS, ask);
      const at = new Date().toISOString();
      remember(core, p.incidentId, { at, deliveries: answer.deliveries });
      return { source: 'hub', deliveries: answer.deliveries, reason: null, asOf: at };
    } catch (err) {
      return notNow(err instanceof ConnError ? err.message : `the hub did not answer (${err instanceof Error ? err.message : String(err)})`);
    }
  },
};
