import { ConnError } from '../../../shared/domain/errors.js';
import type { TeamProfile } from '../../../shared/api/results.js';
import { PROFILE_HUB_EVENTS, ProfilePublishAckSchema, ProfilesPullResponseSchema, type MemberProfile } from '../../../shared/sync/protocol.js';
import type { Db } from '../db/database.js';
import type { Core } from '../open.js';
import type { HubConnection } from './connection.js';
import type { HubChannel } from './engine.js';
import { withHub } from './hub-link.js';

/*
 * Teammates' profiles on the cockpit's side. The local profile is published to the hub after
 * every subscribe and whenever it changes; the team's profiles are pulled after every subscribe
 * and on the hub's 'profiles' notice, and kept in the teammates table (migration 5), so the
 * roster and `conn team` read them with the hub down. All of it over the engine's socket (one
 * connection per cockpit).
 */

interface Row {
  name: string;
  time_zone: string;
  working_hours: string;
  updated_at: string;
}

/** The invite name the hub resolved our token to, once it has said so. */
function hubMemberName(db: Db): string | null {
  const v = db.prepare<[], { value: string }>("SELECT value FROM sync_state WHERE key = 'hub.member'").get()?.value;
  if (!v) return null;
  const parsed = JSON.parse(v) as { name?: unknown };
  return typeof parsed.name === 'string' ? parsed.name : null;
}

/**
 * Replaces the stored team with the hub's answer, in one transaction. True when anything
 * changed, so an unchanged pull (every reconnect) tells nobody.
 */
export function storeTeammates(db: Db, profiles: readonly MemberProfile[]): boolean {
  return db.transaction(() => {
    const before = db.prepare<[], Row>('SELECT name, time_zone, working_hours, updated_at FROM teammates ORDER BY name').all();
    const after = [...profiles].sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1));
    const same =
      before.length === after.length &&
      before.every((r, i) => {
        const p = after[i]!;
        return r.name === p.name && r.time_zone === p.timeZone && r.working_hours === p.workingHours && r.updated_at === p.updatedAt;
      });
    if (same) return false;
    db.prepare('DELETE FROM teammates').run();
    const insert = db.prepare('INSERT OR REPLACE INTO teammates (name, time_zone, working_hours, updated_at) VALUES (?, ?, ?, ?)');
    for (const p of after) insert.run(p.name, p.timeZone, p.workingHours, p.updatedAt);
    return true;
  }).immediate();
}

/**
 * `profiles.list`: this cockpit's own profile first (self, under the hub's name for us once
 * known), then every teammate the hub last told us about, by name.
 */
export function listProfiles(core: Core): TeamProfile[] {
  const me = core.profile.get();
  const hubName = hubMemberName(core.db);
  const rows = core.db.prepare<[], Row>('SELECT name, time_zone, working_hours, updated_at FROM teammates ORDER BY name').all();
  const others = rows
    .filter((r) => hubName === null || r.name.toLowerCase() !== hubName.toLowerCase())
    .map((r): TeamProfile => ({ name: r.name, timeZone: r.time_zone, workingHours: r.working_hours, self: false, updatedAt: r.updated_at }));
  const mine = rows.find((r) => hubName !== null && r.name.toLowerCase() === hubName.toLowerCase());
  return [{ name: hubName ?? me.name, timeZone: me.timeZone, workingHours: me.workingHours, self: true, updatedAt: mine?.updated_at ?? null }, ...others];
}

/** A teammate's (or our own) profile by name, case-insensitive; undefined when not known. */
export function profileOf(core: Core, name: string): TeamProfile | undefined {
  const key = name.trim().toLowerCase();
  return listProfiles(core).find((p) => p.name.toLowerCase() === key || (p.self && core.profile.get().name.toLowerCase() === key));
}

type Request = (name: string, payload: unknown) => Promise<unknown>;

/** Publishes our own profile and pulls the team's; true when the stored team changed (and the bus was told). */
export async function exchangeProfiles(core: Core, request: Request): Promise<boolean> {
  const me = core.profile.get();
  ProfilePublishAckSchema.parse(await request(PROFILE_HUB_EVENTS.publish, { timeZone: me.timeZone, workingHours: me.workingHours }));
  const r = ProfilesPullResponseSchema.parse(await request(PROFILE_HUB_EVENTS.pull, {}));
  const changed = storeTeammates(core.db, r.profiles);
  if (changed) core.bus.emit({ type: 'profiles-changed' });
  return changed;
}

/** `conn sync`: the same exchange over a socket of its own, for as long as the command runs. */
export function exchangeProfilesOnce(core: Core, conn: HubConnection, timeoutMs: number): Promise<boolean> {
  return withHub(conn, timeoutMs, (request) => exchangeProfiles(core, request));
}

/**
 * Keeps the teammates table current while a long-lived host runs, and the hub told of our own
 * profile. On each 'ready': publish, then pull. On the hub's notice: pull. On a local profile
 * change ('profiles-changed' on the bus, which the pull also emits): publish only if it differs
 * from what this connection last published, so the notice and the pull never loop.
 */
export function startProfileSync(core: Core, channel: HubChannel, log: (err: unknown) => void = () => undefined): { stop(): void } {
  let stopped = false;
  let published: string | null = null;
  let chain: Promise<void> = Promise.resolve();
  const mine = (): string => {
    const p = core.profile.get();
    return JSON.stringify({ timeZone: p.timeZone, workingHours: p.workingHours });
  };
  // One step at a time, so a publish and its pull cannot cross.
  const queue = (step: () => Promise<void>): void => {
    chain = chain
      .then(() => (stopped || !channel.ready ? undefined : step()))
      // Offline is no failure: the next 'ready' publishes and pulls again.
      .catch((err: unknown) => {
        if (!(err instanceof ConnError && err.code === 'unavailable' && !channel.ready)) log(err);
      });
  };
  const publish = async (): Promise<void> => {
    const body = mine();
    if (body === published) return;
    ProfilePublishAckSchema.parse(await channel.request(PROFILE_HUB_EVENTS.publish, JSON.parse(body) as unknown));
    published = body;
  };
  const pull = async (): Promise<void> => {
    const r = ProfilesPullResponseSchema.parse(await channel.request(PROFILE_HUB_EVENTS.pull, {}));
    if (storeTeammates(core.db, r.profiles)) core.bus.emit({ type: 'profiles-changed' });
  };
  const offReady = channel.on('ready', () => {
    // A new connection may be a new hub, or one restored from a backup: tell it again.
    published = null;
    queue(publish);
    queue(pull);
  });
  const offNotice = channel.onHub(PROFILE_HUB_EVENTS.changed, () => queue(pull));
  const offLocal = core.bus.onType('profiles-changed', () => {
    if (mine() !== published) queue(publish);
  });
  if (channel.ready) {
    queue(publish);
    queue(pull);
  }
  const stop = (): void => {
    stopped = true;
    offReady();
    offNotice();
    offLocal();
  };
  core.onClose(async () => {
    stop();
    await chain;
  });
  return { stop };
}
