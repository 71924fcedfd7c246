import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { io as connect } from 'socket.io-client';
import type { HubFailure, ProfilePublishAck, ProfilesBroadcast, ProfilesPullResponse } from '../../shared/sync/protocol.js';
import { client, startHub, type HubFixture } from './hub-fixture.js';

/*
 * Teammates' profiles through a real hub and its SQLite store: a member publishes their own time
 * zone and working hours, every member of the team pulls them, no other team sees them, and
 * nobody can publish a teammate's.
 */

let f: HubFixture;
let alice: string;
let bob: string;
let vera: string;
let mallory: string;
const open: Socket[] = [];

async function connectAs(token: string): Promise<Socket> {
  const s = await client(f.hub.url, token);
  open.push(s);
  await s.timeout(10_000).emitWithAck('subscribe', {});
  return s;
}

function publish(s: Socket, body: unknown): Promise<ProfilePublishAck & Partial<HubFailure>> {
  return s.timeout(10_000).emitWithAck('profile.publish', body);
}

function pull(s: Socket): Promise<ProfilesPullResponse & Partial<HubFailure>> {
  return s.timeout(10_000).emitWithAck('profiles.pull', {});
}

beforeAll(async () => {
  f = await startHub({ revocationCheckMs: 100 });
  alice = await f.invite('payments', 'Alice', 'admin');
  bob = await f.invite('payments', 'Bob', 'member');
  vera = await f.invite('payments', 'Vera', 'viewer');
  mallory = await f.invite('search', 'Mallory', 'admin');
});

afterAll(async () => {
  for (const s of open) s.close();
  await f.dispose();
});

describe('profile.publish and profiles.pull', () => {
  it("stores a member's own profile under their invite name, and every teammate pulls it", async () => {
    const a = await connectAs(alice);
    const b = await connectAs(bob);
    const ack = await publish(a, { timeZone: 'Asia/Kolkata', workingHours: '09:00-17:00' });
    expect(ack.error).toBeUndefined();
    expect(ack.changed).toBe(true);
    expect(ack.profile).toMatchObject({ name: 'Alice', timeZone: 'Asia/Kolkata', workingHours: '09:00-17:00' });
    const got = await pull(b);
    expect(got.profiles).toEqual([{ name: 'Alice', timeZone: 'Asia/Kolkata', workingHours: '09:00-17:00', updatedAt: ack.profile.updatedAt }]);
  });

  it('tells the team room that a profile changed, and only when it did', async () => {
    const a = await connectAs(alice);
    const b = await connectAs(bob);
    const notices: ProfilesBroadcast[] = [];
    b.on('profiles', (n: ProfilesBroadcast) => notices.push(n));
    await publish(a, { timeZone: 'Europe/Berlin', workingHours: '08:00-16:00' });
    await expect.poll(() => notices).toEqual([{ name: 'Alice' }]);
    const again = await publish(a, { timeZone: 'Europe/Berlin', workingHours: '08:00-16:00' });
    expect(again.changed).toBe(false);
    // A round trip after the repeat: had it been broadcast, the notice would have arrived first.
    await pull(b);
    expect(notices).toHaveLength(1);
  });

  it('accepts the name when it is the member\'s own, in any case, and a viewer may publish', async () => {
    const a = await connectAs(alice);
    expect((await publish(a, { name: 'alice', timeZone: 'UTC', workingHours: '22:00-06:00' })).profile?.name).toBe('Alice');
    const v = await connectAs(vera);
    expect((await publish(v, { timeZone: 'America/New_York', workingHours: '09:00-17:00' })).error).toBeUndefined();
    expect((await pull(v)).profiles.map((p) => p.name)).toEqual(['Alice', 'Vera']);
  });

  it("refuses a profile for another member's name, and stores nothing", async () => {
    const b = await connectAs(bob);
    const before = await pull(b);
    const ack = await publish(b, { name: 'Alice', timeZone: 'Pacific/Kiritimati', workingHours: '00:00-01:00' });
    expect(ack.error?.code).toBe('forbidden');
    expect(ack.error?.message).toMatch(/only Bob's profile/);
    expect(await pull(b)).toEqual(before);
  });

  it('refuses an unknown zone, malformed hours and an oversized name as invalid input', async () => {
    const b = await connectAs(bob);
    const zone = await publish(b, { timeZone: 'Mars/Olympus_Mons', workingHours: '09:00-17:00' });
    expect(zone.error).toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/unknown time zone "Mars\/Olympus_Mons"/) as string });
    const hours = await publish(b, { timeZone: 'UTC', workingHours: '9-5' });
    expect(hours.error).toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/09:00-17:00/) as string });
    expect((await publish(b, { name: 'B'.repeat(81), timeZone: 'UTC', workingHours: '09:00-17:00' })).error?.code).toBe('invalid-input');
    expect((await publish(b, null)).error?.code).toBe('invalid-input');
    expect((await pull(b)).profiles.map((p) => p.name)).not.toContain('Bob');
  });

  it("another team sees none of the team's profiles, and its notices do not reach it", async () => {
    const m = await connectAs(mallory);
    const notices: ProfilesBroadcast[] = [];
    m.on('profiles', (n: ProfilesBroadcast) => notices.push(n));
    const a = await connectAs(alice);
    await publish(a, { timeZone: 'Asia/Tokyo', workingHours: '10:00-18:00' });
    expect((await pull(m)).profiles).toEqual([]);
    await publish(m, { timeZone: 'Europe/London', workingHours: '09:00-17:00' });
    expect((await pull(m)).profiles.map((p) => p.name)).toEqual(['Mallory']);
    expect((await pull(a)).profiles.map((p) => p.name)).not.toContain('Mallory');
    expect(notices).toEqual([{ name: 'Mallory' }]);
  });

  it("a revoked member's profile is no longer served", async () => {
    const temp = await f.invite('payments', 'Tess', 'member');
    const t = await connectAs(temp);
    await publish(t, { timeZone: 'UTC', workingHours: '09:00-17:00' });
    const a = await connectAs(alice);
    expect((await pull(a)).profiles.map((p) => p.name)).toContain('Tess');
    await f.store.revoke('payments', 'Tess');
    expect((await pull(a)).profiles.map((p) => p.name)).not.toContain('Tess');
  });

  it('a protocol-1 client is still served, and its refusals use codes protocol 1 knows', async () => {
    const s = await new Promise<Socket>((resolve, reject) => {
      const c = connect(f.hub.url, { transports: ['websocket'], reconnection: false, auth: { token: bob } });
      c.once('connect', () => resolve(c));
      c.once('connect_error', reject);
    });
    open.push(s);
    expect((await publish(s, { timeZone: 'UTC', workingHours: '09:00-17:00' })).error).toBeUndefined();
    expect((await publish(s, { timeZone: 'Nowhere/At_All', workingHours: '09:00-17:00' })).error?.code).toBe('invalid-input');
  });
});
