import type { Server } from 'socket.io';
import { ConnError, describeZodIssue } from '../../shared/domain/errors.js';
import { TEAM_SETTINGS } from '../../shared/sync/team-setting-defs.js';
import {
  TeamSettingGetRequestSchema,
  teamSettingAnswer,
  teamSettingSetRequestSchema,
  type AnyTeamSettingDef,
  type TeamSettingChanged,
} from '../../shared/sync/team-settings.js';
import type { HubStore, Member } from '../store/store.js';
import { readTeamSetting, setTeamSetting } from './team-settings-store.js';

/*
 * The team's settings for cockpits (shared/sync/team-settings.ts): every member reads one
 * (def.events.get); only an admin changes it (def.events.set). Served through the hub's request
 * path, so the member is re-read first and a demoted or revoked admin cannot change it with a
 * connection opened before. A change is announced to the team's room (across nodes through the
 * Redis adapter), so open cockpits pull it at once.
 */

type Serve = (kind: string, handler: (member: Member, payload: unknown) => Promise<unknown>) => void;

function serveTeamSetting(def: AnyTeamSettingDef, serve: Serve, io: Server, store: HubStore, teamRoom: (teamId: string) => string): void {
  const setRequest = teamSettingSetRequestSchema(def);
  serve(def.events.get, async (member, payload) => {
    const req = TeamSettingGetRequestSchema.safeParse(payload ?? {});
    if (!req.success) throw new ConnError('invalid-input', `${def.events.get}: ${req.error.issues[0]?.message ?? 'malformed request'}`);
    return teamSettingAnswer(def, await readTeamSetting(store.teamSettings, member.team, def));
  });

  serve(def.events.set, async (member, payload) => {
    // Who may comes before what: a member learns nothing from a refusal about their input.
    if (member.role !== 'admin') {
      throw new ConnError('forbidden', `only a team admin may change team "${member.team}"'s ${def.what}, and ${member.name} is a ${member.role}: ask an admin`);
    }
    const req = setRequest.safeParse(payload);
    if (!req.success) throw new ConnError('invalid-input', `${def.events.set}: ${describeZodIssue(req.error.issues, { paths: true })}`);
    const r = await setTeamSetting(store.teamSettings, member.team, def, req.data.changes ?? null, member.name);
    if (r.changed) {
      const notice: TeamSettingChanged = { by: member.name };
      io.to(teamRoom(member.teamId)).emit(def.events.changed, notice);
    }
    return { team: teamSettingAnswer(def, r.team), changed: r.changed };
  });
}

/** Every team setting, each under its own wire names. */
export function serveTeamSettings(serve: Serve, io: Server, store: HubStore, teamRoom: (teamId: string) => string): void {
  for (const def of TEAM_SETTINGS) serveTeamSetting(def, serve, io, store, teamRoom);
}
