import type { Server } from 'socket.io';
import { ConnError } from '../../shared/domain/errors.js';
import { DeliveriesListRequestSchema, DELIVERY_HUB_EVENTS, type DeliveriesListResponse } from '../../shared/updates/delivery-protocol.js';
import type { HubStore, Member } from '../store/store.js';
import { startDeliverer, type Deliverer, type DelivererOptions } from './deliverer.js';

/*
 * The hub's side of stakeholder-update delivery for cockpits: what became of each update
 * ('deliveries.list', through the hub's request path, so a revoked token cannot read it), and a
 * 'deliveries.changed' broadcast to the team after every recorded outcome, so open cockpits ask
 * again. Channel secrets stay in the store: nothing here reads them.
 */

type Serve = (kind: string, handler: (member: Member, payload: unknown) => Promise<unknown>) => void;

export function serveDeliveries(serve: Serve, store: HubStore): void {
  serve(DELIVERY_HUB_EVENTS.list, async (member, payload): Promise<DeliveriesListResponse> => {
    const req = DeliveriesListRequestSchema.safeParse(payload);
    if (!req.success) throw new ConnError('invalid-input', `deliveries.list: ${req.error.issues[0]?.message ?? 'malformed request'}`);
    // Incident ids are a team's own namespace: another team's incident reads as having no deliveries.
    return { deliveries: await store.deliveries.forIncident(member.teamId, req.data.incidentId) };
  });
}

/** Starts the hub's deliverer; each outcome is announced to the team's room. */
export function startHubDeliverer(io: Server, store: HubStore, teamRoom: (teamId: string) => string, opts: Partial<DelivererOptions>): Deliverer {
  return startDeliverer({
    ...opts,
    queue: store.deliveries,
    onSettled: ({ teamId, incidentId }) => void io.to(teamRoom(teamId)).emit(DELIVERY_HUB_EVENTS.changed, { incidentId }),
  });
}
