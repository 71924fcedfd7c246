import type { Server } from 'socket.io';
import { ConnError, describeZodIssue } from '../../shared/domain/errors.js';
import {
  CADENCE_HUB_EVENTS,
  CadenceGetRequestSchema,
  CadenceSetRequestSchema,
  type CadenceChanged,
  type CadenceSetAck,
  type TeamCadence,
} from '../../shared/updates/cadence-protocol.js';
import type { HubStore, Member } from '../store/store.js';

/*
 * The team's update cadence for cockpits: every member reads it ('cadence.get'); only an admin
 * changes it ('cadence.set'). Served through the hub's request path, so the member is re-read
 * first and a demoted or revoked admin cannot change it with a connection opened before. A
 * change is announced to the team's room (across nodes through the Redis adapter), so open
 * cockpits pull it at once.
 */

type Serve = (kind: string, handler: (member: Member, payload: unknown) => Promise<unknown>) => void;

export function serveCadence(serve: Serve, io: Server, store: HubStore, teamRoom: (teamId: string) => string): void {
  serve(CADENCE_HUB_EVENTS.get, async (member, payload): Promise<TeamCadence> => {
    const req = CadenceGetRequestSchema.safeParse(payload ?? {});
    if (!req.success) throw new ConnError('invalid-input', `cadence.get: ${req.error.issues[0]?.message ?? 'malformed request'}`);
    return store.cadence.cadence(member.team);
  });

  serve(CADENCE_HUB_EVENTS.set, async (member, payload): Promise<CadenceSetAck> => {
    // Who may comes before what: a member learns nothing from a refusal about their input.
    if (member.role !== 'admin') {
      throw new ConnError('forbidden', `only a team admin may change team "${member.team}"'s update cadence, and ${member.name} is a ${member.role}: ask an admin`);
    }
    const req = CadenceSetRequestSchema.safeParse(payload);
    if (!req.success) throw new ConnError('invalid-input', `cadence.set: ${describeZodIssue(req.error.issues, { paths: true })}`);
    const r = await store.cadence.setCadence(member.team, req.data.changes ?? null, member.name);
    if (r.changed) {
      const notice: CadenceChanged = { by: member.name };
      io.to(teamRoom(member.teamId)).emit(CADENCE_HUB_EVENTS.changed, notice);
    }
    return r;
  });
}
