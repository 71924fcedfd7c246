import type { Server } from 'socket.io';
import { ConnError } from '../../shared/domain/errors.js';
import {
  PROFILE_HUB_EVENTS,
  ProfilePublishRequestSchema,
  ProfilesPullRequestSchema,
  type ProfilePublishAck,
  type ProfilesBroadcast,
  type ProfilesPullResponse,
} from '../../shared/sync/protocol.js';
import type { HubStore, Member } from '../store/store.js';

/*
 * Teammates' profiles on the hub: each member publishes their own time zone and working hours,
 * and everyone in the team reads all of them. Served through the hub's own request path
 * (authentication, per-socket queue, member re-read), so a revoked member can neither publish
 * nor read, and a team's profiles are answered only to that team's members.
 */

type Serve = (kind: string, handler: (member: Member, payload: unknown) => Promise<unknown>) => void;

export function serveProfiles(serve: Serve, io: Server, store: HubStore, teamRoom: (teamId: string) => string): void {
  serve(PROFILE_HUB_EVENTS.publish, async (member, payload): Promise<ProfilePublishAck> => {
    const req = ProfilePublishRequestSchema.safeParse(payload);
    if (!req.success) throw new ConnError('invalid-input', `profile.publish: ${req.error.issues[0]?.message ?? 'malformed request'}`);
    // The name comes from the token: a cockpit speaks for its own member only, so nobody can move
    // a teammate into another zone and have them paged at 3 a.m.
    if (req.data.name !== undefined && req.data.name.toLowerCase() !== member.name.toLowerCase()) {
      throw new ConnError('forbidden', `this token is ${member.name}'s in team "${member.team}", so it can publish only ${member.name}'s profile, not ${req.data.name}'s`);
    }
    const r = await store.publishProfile(member, { timeZone: req.data.timeZone, workingHours: req.data.workingHours });
    // Only a change is news: every cockpit republishes after each subscribe, and a broadcast
    // for each would make the whole team re-pull on every reconnect.
    if (r.changed) {
      const notice: ProfilesBroadcast = { name: member.name };
      io.to(teamRoom(member.teamId)).emit(PROFILE_HUB_EVENTS.changed, notice);
    }
    return r;
  });

  serve(PROFILE_HUB_EVENTS.pull, async (member, payload): Promise<ProfilesPullResponse> => {
    const req = ProfilesPullRequestSchema.safeParse(payload ?? {});
    if (!req.success) throw new ConnError('invalid-input', `profiles.pull: ${req.error.issues[0]?.message ?? 'malformed request'}`);
    return { profiles: await store.profiles(member.teamId) };
  });
}
