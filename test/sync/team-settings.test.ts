import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CoreNotification, ResultOf } from '../../shared/api/contract.js';
import { DEFAULT_SLO } from '../../shared/reports/reliability.js';
import { SLO_SETTING } from '../../shared/reports/slo-protocol.js';
import { readTeamSetting } from '../../server/team-settings/team-settings-store.js';
import type { EffectiveCadence } from '../../shared/api/cadence-methods.js';
import { DEFAULT_CADENCE } from '../../shared/domain/cadence.js';
import type { IncidentState } from '../../shared/domain/fold.js';
import { updateDueCell } from '../../shared/time/update-due.js';
import { CADENCE_HUB_EVENTS } from '../../shared/updates/cadence-protocol.js';
import { callMethod } from '../../main/core/api/handlers.js';
import { effectiveSlo } from '../../main/core/api/reports.js';
import type { Core } from '../../main/core/open.js';
import { createHub, type Hub } from '../../server/hub/hub.js';
import { dropPostgresSchema, openPostgresStore } from '../../server/store/postgres.js';
import { openSqliteStore } from '../../server/store/sqlite.js';
import type { HubStore } from '../../server/store/store.js';
import { client } from '../hub/hub-fixture.js';
import { cockpits, until } from './sync-fixture.js';

/*
 * The team's settings end to end, on each hub store: an admin's cockpit changes the update
 * cadence and the SLO through a real hub on loopback, a member's cockpit cannot, and the member's
 * cockpit picks each change up over its own running connection, so its "overdue by" moves and its
 * report measures against the team's target; with the hub gone, the cockpit keeps the last it heard.
 */

const PG = process.env['CONN_TEST_POSTGRES'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `conn_cadence_${randomBytes(4).toString('hex')}`;
const FAST = { reconnectDelayMs: 50, reconnectDelayMaxMs: 400, requestTimeoutMs: 3000 };

afterAll(async () => {
  await dropPostgresSchema(PG, schema);
});

const STORES: Array<[string, () => Promise<HubStore>]> = [
  ['SQLite', async () => openSqliteStore(mkdtempSync(path.join(tmpdir(), 'conn-cadence-hub-')))],
  ['Postgres', () => openPostgresStore({ url: PG, schema, poolSize: 4 })],
];

const get = (core: Core) => callMethod(core, 'cadence.get', {}) as Promise<EffectiveCadence>;
const sloOf = (core: Core) => callMethod(core, 'reports.slo.get', {}) as Promise<ResultOf<'reports.slo.get'>>;
const reportOf = (core: Core) => callMethod(core, 'reports.get', { days: 7 }) as Promise<ResultOf<'reports.get'>>;
const stateOf = (core: Core, id: string) => callMethod(core, 'incidents.get', { ref: id }) as Promise<IncidentState>;

describe.each(STORES)('the team settings on a %s hub', (_kind, open) => {
  const { supervised, dispose } = cockpits('cadence');
  let hub: Hub;
  let hubClosed = false;
  let store: HubStore;
  let ana: Core;
  let bo: Core;
  let boToken: string;
  let boSync: { connect(c: { url: string; token: string }): Promise<unknown> };
  let incidentId: string;
  let declaredAt: number;
  const boHeard: CoreNotification[] = [];

  afterAll(async () => {
    await dispose();
    if (!hubClosed) await hub?.close();
  });

  it('starts on the defaults, and each cockpit says it checked with the hub', async () => {
    store = await open();
    hub = await createHub({ store });
    const anaToken = (await store.invite('payments', 'Ana', 'admin')).token;
    boToken = (await store.invite('payments', 'Bo', 'member')).token;
    const a = supervised('Ana', { engine: FAST });
    const b = supervised('Bo', { engine: FAST });
    [ana, bo] = [a.core, b.core];
    boSync = b.sup;
    bo.bus.on((n) => boHeard.push(n));
    expect(await get(bo)).toMatchObject({ source: 'defaults', checkedAt: null, cadence: DEFAULT_CADENCE });
    await a.sup.connect({ url: hub.url, token: anaToken });
    await b.sup.connect({ url: hub.url, token: boToken });
    const checked = await until(() => bo.cadence.effective(), (e) => e.checkedAt !== null);
    expect(checked).toMatchObject({ source: 'defaults', cadence: DEFAULT_CADENCE });

    ({ id: incidentId } = (await callMethod(bo, 'incidents.declare', { title: 'Checkout 5xx', severity: 2 })) as { id: string });
    declaredAt = Date.parse((await stateOf(bo, incidentId)).declaredAt!);
    // SEV2 by default: the first update within 15 minutes. Ten minutes in, it is not yet late.
    expect(updateDueCell((await stateOf(bo, incidentId)).nextUpdateDueAt, declaredAt + 10 * 60_000)).toBe('in 5m');
  });

  it('refuses a member, with the hub\'s reason, and changes nothing', async () => {
    await expect(callMethod(bo, 'cadence.set', { changes: { 2: { firstMin: 5, everyMin: 30 } } })).rejects.toMatchObject({
      code: 'forbidden',
      message: 'only a team admin may change team "payments"\'s update cadence, and Bo is a member: ask an admin',
    });
    expect(await store.cadence.cadence('payments')).toEqual({ cadence: null, setBy: null, setAt: null });
    expect((await get(bo)).source).toBe('defaults');
  });

  it('refuses an interval outside 1m-24h from a raw client too, and changes nothing', async () => {
    await expect(callMethod(ana, 'cadence.set', { changes: { 2: { firstMin: 0, everyMin: 30 } } })).rejects.toMatchObject({ code: 'invalid-input' });
    const cyToken = (await store.invite('payments', 'Cy', 'admin')).token;
    const raw = await client(hub.url, cyToken);
    try {
      const ack = (await raw.timeout(3000).emitWithAck(CADENCE_HUB_EVENTS.set, { changes: { 2: { firstMin: 5, everyMin: 2000 } } })) as { error?: { code: string; message: string } };
      expect(ack.error).toEqual({ code: 'invalid-input', message: 'cadence.set: changes.2.everyMin: an update cadence must be from 1m to 24h' });
    } finally {
      raw.close();
    }
    expect((await store.cadence.cadence('payments')).cadence).toBeNull();
  });

  it("an admin's change reaches the member's running cockpit, and its update is now overdue", async () => {
    const r = (await callMethod(ana, 'cadence.set', { changes: { 2: { firstMin: 5, everyMin: 30 } } })) as EffectiveCadence & { changed: boolean };
    expect(r).toMatchObject({ changed: true, source: 'team', setBy: 'Ana', cadence: { ...DEFAULT_CADENCE, 2: { firstMin: 5, everyMin: 30 } } });

    const seen = await until(() => bo.cadence.effective(), (e) => e.source === 'team');
    expect(seen).toMatchObject({ setBy: 'Ana', cadence: { 2: { firstMin: 5, everyMin: 30 } } });
    expect(boHeard).toContainEqual({ type: 'cadence-changed' });
    // The same ten minutes in: under the team's 5 minutes it is now 5 minutes late.
    const state = await stateOf(bo, incidentId);
    expect(state.nextUpdateDueAt).toBe(new Date(declaredAt + 5 * 60_000).toISOString());
    expect(updateDueCell(state.nextUpdateDueAt, declaredAt + 10 * 60_000)).toBe('overdue by 5m');
    // The list reads the same state.
    expect((await callMethod(bo, 'incidents.list', {})) as unknown[]).toHaveLength(1);
  });

  it("the team's SLO: a member is refused, bad input changes nothing, and an admin's change reaches the member's report", async () => {
    expect(await sloOf(bo)).toMatchObject({ source: 'defaults', slo: DEFAULT_SLO });
    await expect(callMethod(bo, 'reports.slo.set', { targetPercent: 99 })).rejects.toMatchObject({
      code: 'forbidden',
      message: 'only a team admin may change team "payments"\'s SLO, and Bo is a member: ask an admin',
    });
    await expect(callMethod(ana, 'reports.slo.set', { targetPercent: 101 })).rejects.toMatchObject({ code: 'invalid-input' });
    const raw = await client(hub.url, (await store.invite('payments', 'Cy', 'admin')).token);
    try {
      const ack = (await raw.timeout(3000).emitWithAck(SLO_SETTING.events.set, { changes: { services: { payments: 20 } } })) as { error?: { code: string; message: string } };
      expect(ack.error).toEqual({ code: 'invalid-input', message: 'slo.set: changes.services.payments: an SLO target is at least 50%' });
    } finally {
      raw.close();
    }
    expect((await readTeamSetting(store.teamSettings, 'payments', SLO_SETTING)).value).toBeNull();

    const r = (await callMethod(ana, 'reports.slo.set', { targetPercent: 99.5, services: { checkout: 99.95 } })) as ResultOf<'reports.slo.set'>;
    expect(r).toMatchObject({ changed: true, source: 'team', setBy: 'Ana', slo: { targetPercent: 99.5, downtimeSeverity: 2, services: { checkout: 99.95 } } });
    const seen = await until(() => effectiveSlo(bo), (e) => e.source === 'team');
    expect(seen).toMatchObject({ setBy: 'Ana', slo: { targetPercent: 99.5 } });
    expect(boHeard).toContainEqual({ type: 'slo-changed' });
    const report = await reportOf(bo);
    expect(report.sloFrom).toMatchObject({ source: 'team', setBy: 'Ana' });
    expect(report.uptime.find((u) => u.service === 'checkout')?.targetPercent).toBe(99.95);
    // The cadence, the other key of the same table, is untouched.
    expect((await get(bo)).cadence[2]).toEqual({ firstMin: 5, everyMin: 30 });
  });

  it("drops the old team's cadence with a token for another team, and gets it back", async () => {
    await boSync.connect({ url: hub.url, token: (await store.invite('search', 'Bo', 'member')).token });
    await until(() => bo.cadence.effective(), (e) => e.source === 'defaults' && e.checkedAt !== null);
    await boSync.connect({ url: hub.url, token: boToken });
    await until(() => bo.cadence.effective(), (e) => e.source === 'team');
  });

  it('keeps the last known cadence with the hub gone', async () => {
    await hub.close();
    hubClosed = true;
    await until(() => bo.sync.status().state, (s) => s !== 'online');
    expect(await get(bo)).toMatchObject({ source: 'team', cadence: { 2: { firstMin: 5, everyMin: 30 } } });
    expect((await stateOf(bo, incidentId)).nextUpdateDueAt).toBe(new Date(declaredAt + 5 * 60_000).toISOString());
    // And changing it needs the hub: nothing changes here.
    await expect(callMethod(ana, 'cadence.set', { changes: { 1: { firstMin: 10, everyMin: 10 } } })).rejects.toMatchObject({ code: 'unavailable' });
    expect((await get(ana)).cadence[1]).toEqual(DEFAULT_CADENCE[1]);
    // The SLO too: the member's reports keep the team's target, and an admin's change is refused offline.
    expect(await sloOf(bo)).toMatchObject({ source: 'team', slo: { targetPercent: 99.5 } });
    expect((await reportOf(bo)).sloFrom.source).toBe('team');
    await expect(callMethod(ana, 'reports.slo.set', { targetPercent: 99 })).rejects.toMatchObject({ code: 'unavailable' });
    expect((await sloOf(ana)).slo.targetPercent).toBe(99.5);
  });
});
