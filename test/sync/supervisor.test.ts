import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../main/core/open.js';
import { callMethod } from '../../main/core/api/handlers.js';
import { loadConnection, loadHubUrl, saveConnection, tokenFile } from '../../main/core/sync/connection.js';
import type { EngineStatus } from '../../main/core/sync/engine.js';
import { startHub, type HubFixture } from '../hub/hub-fixture.js';
import { cockpits, until } from './sync-fixture.js';

/* sync.connect / sync.disconnect: a running cockpit switching hubs through its SyncSupervisor. */

let one: HubFixture;
let two: HubFixture;
const { cockpit, supervised, dispose } = cockpits('supervisor');
const FAST = { reconnectDelayMs: 50, reconnectDelayMaxMs: 400, requestTimeoutMs: 3000 };

const status = (core: Core) => core.sync.status() as EngineStatus;

beforeAll(async () => {
  [one, two] = await Promise.all([startHub(), startHub()]);
});
afterAll(async () => {
  await dispose();
  await Promise.all([one.dispose(), two.dispose()]);
});

describe('sync.connect and sync.disconnect', () => {
  it('answers "unavailable" where no supervisor runs (the CLI)', async () => {
    const core = cockpit('Cli');
    await expect(callMethod(core, 'sync.connect', { url: one.hub.url, token: 'abc' })).rejects.toMatchObject({ code: 'unavailable' });
    await expect(callMethod(core, 'sync.disconnect', {})).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('connects an unconnected cockpit, switches hubs, refuses bad input without changing anything, and disconnects', async () => {
    const { core: ana, sup } = supervised('Ana', { engine: FAST });
    expect(await sup.restart()).toBeNull();
    expect(await callMethod(ana, 'sync.status', {})).toMatchObject({ state: 'disabled' });

    // A teammate on each hub, each with an incident there.
    const { core: ben, sup: benSync } = supervised('Ben', { engine: FAST });
    await benSync.connect({ url: one.hub.url, token: await one.invite('sre', 'Ben') });
    const { core: cleo, sup: cleoSync } = supervised('Cleo', { engine: FAST });
    await cleoSync.connect({ url: two.hub.url, token: await two.invite('sre', 'Cleo') });
    const onOne = ben.incidents.declare({ title: 'On hub one', severity: 2 });
    const onTwo = cleo.incidents.declare({ title: 'On hub two', severity: 2 });

    // Connect to hub one: status names it, Ben's incident arrives.
    const first = (await callMethod(ana, 'sync.connect', { url: `${one.hub.url}/`, token: await one.invite('sre', 'Ana') })) as EngineStatus;
    expect(first).toMatchObject({ state: 'online', hub: one.hub.url });
    await until(() => ana.events.stateOf(onOne.id)?.declared, (d) => d === true);
    expect(loadConnection(ana)?.url).toBe(one.hub.url);

    // Switch to hub two: the new engine reports it and pulls Cleo's incident.
    const anaTwo = await two.invite('sre', 'Ana');
    const second = (await callMethod(ana, 'sync.connect', { url: two.hub.url, token: anaTwo })) as EngineStatus;
    expect(second).toMatchObject({ state: 'online', hub: two.hub.url });
    expect(await callMethod(ana, 'sync.status', {})).toMatchObject({ hub: two.hub.url });
    await until(() => ana.events.stateOf(onTwo.id)?.declared, (d) => d === true);
    expect(sup.hub).toBe(two.hub.url);
    expect(loadConnection(ana)).toEqual({ url: two.hub.url, token: anaTwo });

    // Bad input is refused before anything changes.
    for (const url of ['ftp://hub.example.com', 'not a url', 'http://exa mple.com']) {
      await expect(callMethod(ana, 'sync.connect', { url, token: 'tok' })).rejects.toMatchObject({ code: 'invalid-input' });
    }
    await expect(callMethod(ana, 'sync.connect', { url: one.hub.url, token: '' })).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(callMethod(ana, 'sync.connect', { url: one.hub.url, token: 'x'.repeat(513) })).rejects.toMatchObject({ code: 'invalid-input' });
    expect(loadConnection(ana)).toEqual({ url: two.hub.url, token: anaTwo });
    expect(status(ana)).toMatchObject({ state: 'online', hub: two.hub.url });

    // Disconnect: sync stops, the hub and token are forgotten, entries stay.
    expect(await callMethod(ana, 'sync.disconnect', {})).toMatchObject({ state: 'disabled' });
    expect(loadConnection(ana)).toBeNull();
    expect(loadHubUrl(ana)).toBeNull();
    expect(existsSync(tokenFile(ana.dataDir))).toBe(false);
    expect(sup.hub).toBeNull();
    const later = cleo.incidents.declare({ title: 'After Ana left', severity: 3 });
    await new Promise((r) => setTimeout(r, 500));
    expect(ana.events.stateOf(later.id)?.declared).not.toBe(true);
    expect(ana.events.stateOf(onTwo.id)?.declared).toBe(true);
  });

  it('reports a refused token in the connect answer', async () => {
    const { core: eve } = supervised('Eve', { engine: FAST });
    const s = (await callMethod(eve, 'sync.connect', { url: one.hub.url, token: `conn_00000000-0000-4000-8000-000000000000_${'x'.repeat(43)}` })) as EngineStatus;
    expect(s.state).toBe('error');
    expect(s.error).toMatch(/does not recognise this token/);
  });

  it('keeps the token with a token keeper (the desktop app) instead of the plain file, which it prefers', async () => {
    let kept: string | null = await one.invite('sre', 'Dan');
    const { core: dan, sup } = supervised('Dan', { engine: FAST, tokens: { load: () => kept, save: (t) => void (kept = t) } });
    saveConnection(dan, { url: one.hub.url, token: 'stale-cli-token' });
    expect(await sup.restart()).toBe(one.hub.url);
    await until(() => status(dan), (s) => s.state === 'online');

    const token = await two.invite('sre', 'Dan');
    await sup.connect({ url: two.hub.url, token });
    expect(kept).toBe(token);
    expect(existsSync(tokenFile(dan.dataDir))).toBe(false);
    expect(loadHubUrl(dan)).toBe(two.hub.url);
    await until(() => status(dan), (s) => s.state === 'online' && s.hub === two.hub.url);

    await sup.disconnect();
    expect(kept).toBeNull();
    expect(loadHubUrl(dan)).toBeNull();
  });
});
