import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callMethod } from '../../main/core/api/handlers.js';
import { saveConnection } from '../../main/core/sync/connection.js';
import type { EngineStatus } from '../../main/core/sync/engine.js';
import { startSync } from '../../main/core/sync/start.js';
import { startHub, type HubFixture } from '../hub/hub-fixture.js';
import { cockpits, until } from './sync-fixture.js';

/* The client engine inside a long-running core: status over the RPC, live sync, refusals. */

let f: HubFixture;
const { cockpit, tempDir, dispose } = cockpits('engine');

beforeAll(async () => {
  f = await startHub();
});
afterAll(async () => {
  await dispose();
  await f.dispose();
});

describe('the sync engine in a running cockpit', () => {
  it('reports "disabled" over sync.status until a hub is connected', async () => {
    const core = cockpit('Solo');
    expect(await callMethod(core, 'sync.status', {})).toMatchObject({ state: 'disabled', pending: 0 });
    expect(startSync(core)).toBeNull();
  });

  it("brings a teammate's new incident and its timeline to the other cockpit while both are open", async () => {
    const ana = cockpit('Ana');
    const ben = cockpit('Ben');
    saveConnection(ana, { url: f.hub.url, token: await f.invite('live', 'Ana') });
    saveConnection(ben, { url: f.hub.url, token: await f.invite('live', 'Ben') });
    const anaSync = startSync(ana, { reconnectDelayMs: 50 })!;
    startSync(ben, { reconnectDelayMs: 50 });
    await until(() => anaSync.status(), (s) => s.state === 'online');
    const { id } = ana.incidents.declare({ title: 'Search is slow', severity: 2 });
    ana.events.appendLocal(id, 'note', { text: 'reindex running' });
    const state = await until(() => ben.events.stateOf(id), (s) => s?.declared === true);
    expect(state?.title).toBe('Search is slow');
    await until(() => ben.timeline({ incidentId: id, limit: 10 }).items.length, (n) => n === 2);
    const status = (await until(() => anaSync.status(), (s) => s.pending === 0 && s.state === 'online')) as EngineStatus;
    expect(status.lastSyncAt).not.toBeNull();
    expect(status.hub).toBe(f.hub.url);
  });

  it('records events the hub refuses, surfaces them, and stops retrying them', async () => {
    const vera = cockpit('Vera');
    saveConnection(vera, { url: f.hub.url, token: await f.invite('live', 'Vera', 'viewer') });
    vera.incidents.declare({ title: 'A viewer cannot share this', severity: 4 });
    const veraSync = startSync(vera, { reconnectDelayMs: 50 })!;
    const s = (await until(() => veraSync.status(), (x) => x.state === 'online' && x.pending === 0)) as EngineStatus;
    expect(s.rejected).toBe(1);
    expect(vera.events.refused()[0]).toMatchObject({ code: 'forbidden', kind: 'incident.declared' });
  });

  it('reports a refused token as an error state with the reason, and does not retry it', async () => {
    const eve = cockpit('Eve');
    saveConnection(eve, { url: f.hub.url, token: `conn_00000000-0000-4000-8000-000000000000_${'x'.repeat(43)}` });
    eve.incidents.declare({ title: 'Stays local', severity: 3 });
    const eveSync = startSync(eve, { reconnectDelayMs: 50 })!;
    const s = await until(() => eveSync.status(), (x) => x.state === 'error');
    expect(s.error).toMatch(/does not recognise this token/);
    expect(s.pending).toBe(1);
  });
});

describe('the hub shutting down', () => {
  it('finishes and acknowledges a commit in flight before it closes', async () => {
    const dir = tempDir();
    const local = await startHub({ dir });
    const commit = local.store.commit.bind(local.store);
    let started: () => void = () => undefined;
    const inFlight = new Promise<void>((r) => (started = r));
    local.store.commit = async (m, e) => {
      started();
      await new Promise((r) => setTimeout(r, 300));
      return commit(m, e);
    };
    const { client, declare } = await import('../hub/hub-fixture.js');
    const s = await client(local.hub.url, await local.invite('t', 'Ann'));
    const acked = s.timeout(5000).emitWithAck('push', { events: [declare('01a2211f-0000-7000-8000-000000000001', 'Ann')] });
    await inFlight;
    await local.hub.close();
    expect(await acked).toMatchObject({ accepted: [{ seq: 1 }] });
    s.close();
  });
});
