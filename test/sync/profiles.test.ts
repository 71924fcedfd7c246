import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoreNotification } from '../../shared/api/contract.js';
import type { TeamProfile } from '../../shared/api/results.js';
import { callMethod } from '../../main/core/api/handlers.js';
import { startHub, type HubFixture } from '../hub/hub-fixture.js';
import { cockpits, until } from './sync-fixture.js';

/*
 * Teammates' profiles between two running cockpits through a real hub on loopback: each
 * cockpit publishes its own zone and hours over its one socket, and the other's profiles.list
 * shows them after sync, kept locally for when the hub is down.
 */

let hub: HubFixture;
const { cockpit, supervised, dispose } = cockpits('profiles');
const FAST = { reconnectDelayMs: 50, reconnectDelayMaxMs: 400, requestTimeoutMs: 3000 };

beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await dispose();
  await hub.dispose();
});

const list = (core: Parameters<typeof callMethod>[0]) => callMethod(core, 'profiles.list', {}) as Promise<TeamProfile[]>;

describe('profiles.list', () => {
  it('without a hub lists only this cockpit, as self', async () => {
    const solo = cockpit('Solo');
    await callMethod(solo, 'profile.set', { timeZone: 'Europe/Berlin', workingHours: '08:00-16:00' });
    expect(await list(solo)).toEqual([{ name: 'Solo', timeZone: 'Europe/Berlin', workingHours: '08:00-16:00', self: true, updatedAt: null }]);
  });

  it("shows A's zone and hours on B after sync, and a change A makes later", async () => {
    const { core: ana, sup: anaSync } = supervised('Ana', { engine: FAST});
    const { core: ben, sup: benSync } = supervised('Ben', { engine: FAST});
    await callMethod(ana, 'profile.set', { timeZone: 'Asia/Kolkata', workingHours: '09:00-17:00' });
    await callMethod(ben, 'profile.set', { timeZone: 'America/New_York', workingHours: '08:00-16:00' });
    const notes: CoreNotification[] = [];
    ben.bus.on((n) => notes.push(n));
    await anaSync.connect({ url: hub.hub.url, token: await hub.invite('sre', 'Ana') });
    await benSync.connect({ url: hub.hub.url, token: await hub.invite('sre', 'Ben') });

    const seen = await until(() => ben.db.prepare('SELECT name FROM teammates').all().length, (n) => n === 2).then(() => list(ben));
    expect(seen.map(({ updatedAt: _, ...p }) => p)).toEqual([
      { name: 'Ben', timeZone: 'America/New_York', workingHours: '08:00-16:00', self: true },
      { name: 'Ana', timeZone: 'Asia/Kolkata', workingHours: '09:00-17:00', self: false },
    ]);
    expect(seen[1]!.updatedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(notes).toContainEqual({ type: 'profiles-changed' });

    // A change is published at once and reaches B through the hub's notice.
    await callMethod(ana, 'profile.set', { workingHours: '10:00-18:00' });
    await until(
      () => ben.db.prepare<[], { working_hours: string }>("SELECT working_hours FROM teammates WHERE name = 'Ana'").get()?.working_hours,
      (h) => h === '10:00-18:00',
    );

    // Kept locally: B still knows A's clock with the hub gone.
    await benSync.disconnect();
    expect((await list(ben)).find((p) => p.name === 'Ana')).toMatchObject({ timeZone: 'Asia/Kolkata', workingHours: '10:00-18:00' });

    // A token for another team: the old team's people leave with the old cursor.
    await benSync.connect({ url: hub.hub.url, token: await hub.invite('search', 'Ben') });
    await until(
      () => ben.db.prepare<[], { name: string }>('SELECT name FROM teammates').all().map((r) => r.name),
      (names) => names.length === 1 && names[0] === 'Ben',
    );
    expect((await list(ben)).map((p) => p.name)).toEqual(['Ben']);
  });
});
