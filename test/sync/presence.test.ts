import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoreNotification } from '../../shared/api/contract.js';
import { newId } from '../../shared/domain/ids.js';
import { callMethod } from '../../main/core/api/handlers.js';
import { startHub, type HubFixture } from '../hub/hub-fixture.js';
import { cockpits, until } from './sync-fixture.js';

/*
 * presence.watch and presence.get: a window tells its core which incident it shows, and
 * teammates' cockpits learn who is looking, through a real hub on loopback.
 */

let hub: HubFixture;
const { cockpit, supervised, dispose } = cockpits('presence');
const FAST = { reconnectDelayMs: 50, reconnectDelayMaxMs: 400, requestTimeoutMs: 3000 };

beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await dispose();
  await hub.dispose();
});

const presence = (core: Parameters<typeof callMethod>[0], incidentId: string) => callMethod(core, 'presence.get', { incidentId }) as Promise<Array<{ name: string; you: boolean }>>;

describe('presence without sync', () => {
  it('answers watch and get where nothing syncs (the CLI, a cockpit without a hub): nobody is looking', async () => {
    const solo = cockpit('Solo');
    const id = newId();
    expect(await callMethod(solo, 'presence.watch', { incidentId: id })).toEqual({ watching: id });
    expect(await presence(solo, id)).toEqual([]);
    const { core: alone, sup } = supervised('Alone', { engine: FAST });
    await sup.restart();
    expect(await callMethod(alone, 'presence.watch', { incidentId: id })).toEqual({ watching: id });
    expect(await presence(alone, id)).toEqual([]);
    expect(await callMethod(alone, 'presence.watch', { incidentId: null })).toEqual({ watching: null });
    expect(await presence(alone, id)).toEqual([]);
  });

  it('refuses an id that is not an incident id', async () => {
    await expect(callMethod(cockpit('Typo'), 'presence.get', { incidentId: 'INC-7KQ2XM' })).rejects.toMatchObject({ code: 'invalid-input' });
  });
});

describe('presence between two running cockpits', () => {
  it("shows a teammate who opens the incident, tells the window, and drops them when they leave or go offline", async () => {
    const { core: ana, sup: anaSync } = supervised('Ana', { engine: FAST });
    const { core: ben, sup: benSync } = supervised('Ben', { engine: FAST });
    const incidentId = newId();
    // Ana's window showed the incident before she connected: the new engine starts on it.
    await callMethod(ana, 'presence.watch', { incidentId });
    await anaSync.connect({ url: hub.hub.url, token: await hub.invite('sre', 'Ana') });
    await benSync.connect({ url: hub.hub.url, token: await hub.invite('sre', 'Ben') });
    const notes: CoreNotification[] = [];
    ana.bus.on((n) => notes.push(n));

    expect(await until(() => anaSync.presenceOf(incidentId), (p) => p.length === 1)).toEqual([{ memberId: expect.any(String) as unknown, name: 'Ana', you: true }]);

    await callMethod(ben, 'presence.watch', { incidentId });
    await until(() => anaSync.presenceOf(incidentId), (p) => p.length === 2);
    expect(await presence(ana, incidentId)).toEqual([
      { memberId: expect.any(String) as unknown, name: 'Ana', you: true },
      { memberId: expect.any(String) as unknown, name: 'Ben', you: false },
    ]);
    expect(await presence(ben, incidentId)).toContainEqual(expect.objectContaining({ name: 'Ben', you: true }));
    expect(notes).toContainEqual({ type: 'presence-changed', incidentId });

    // Ben's window goes back to the list.
    await callMethod(ben, 'presence.watch', { incidentId: null });
    await until(() => anaSync.presenceOf(incidentId).map((m) => m.name), (names) => names.join() === 'Ana');

    // Ben looks again, then his cockpit stops syncing: Ana's shows him gone.
    await callMethod(ben, 'presence.watch', { incidentId });
    await until(() => anaSync.presenceOf(incidentId), (p) => p.length === 2);
    await callMethod(ben, 'sync.disconnect', {});
    await until(() => anaSync.presenceOf(incidentId).map((m) => m.name), (names) => names.join() === 'Ana');
    expect(await presence(ben, incidentId)).toEqual([]);

    // Not syncing, nobody is known to be looking, not even the ones seen last.
    await anaSync.disconnect();
    expect(await presence(ana, incidentId)).toEqual([]);
  });
});
