import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnEvent } from '../../shared/domain/events.js';
import { callMethod } from '../../main/core/api/handlers.js';
import type { Core } from '../../main/core/open.js';
import { startHub, type HubFixture } from '../hub/hub-fixture.js';
import { cockpits, until } from './sync-fixture.js';

/*
 * Attendance from presence, through a real hub on loopback: two running cockpits look at an
 * incident while a call runs. Each records only its own person, so every join and leave is
 * written once, however many cockpits see the presence.
 */

let hub: HubFixture;
const { supervised, dispose } = cockpits('attendance');
const FAST = { reconnectDelayMs: 50, reconnectDelayMaxMs: 400, requestTimeoutMs: 3000 };

beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await dispose();
  await hub.dispose();
});

const attendance = (core: Core, incidentId: string): string[] =>
  [...core.events.eventsOf(incidentId)]
    .filter((e): e is Extract<ConnEvent, { kind: 'attendee.joined' | 'attendee.left' }> => e.kind === 'attendee.joined' || e.kind === 'attendee.left')
    .sort((a, b) => (a.hlc < b.hlc ? -1 : 1))
    .map((e) => `${e.author.name}: ${e.kind === 'attendee.joined' ? 'joined' : 'left'} ${e.payload.person}`);
const onCall = (core: Core, incidentId: string) => core.events.stateOf(incidentId)?.calls[0]?.attendees.join(',') ?? '';

describe('attendance from presence', () => {
  it('records each person present while a call runs, once, by their own cockpit; turning away leaves, a chosen leave sticks', async () => {
    const { core: ana, sup: anaSync } = supervised('Ana', { engine: FAST });
    const { core: ben, sup: benSync } = supervised('Ben', { engine: FAST });
    await anaSync.connect({ url: hub.hub.url, token: await hub.invite('sre', 'Ana') });
    await benSync.connect({ url: hub.hub.url, token: await hub.invite('sre', 'Ben') });
    const { id: incidentId } = (await callMethod(ana, 'incidents.declare', { title: 'Checkout 502', severity: 2 })) as { id: string };
    await until(() => ben.events.stateOf(incidentId)?.declared ?? false, (d) => d);

    // Looking at the incident before any call records nothing.
    await callMethod(ana, 'presence.watch', { incidentId });
    await callMethod(ben, 'presence.watch', { incidentId });
    await until(() => anaSync.presenceOf(incidentId).length, (n) => n === 2);
    expect(attendance(ana, incidentId)).toEqual([]);

    await callMethod(ana, 'events.append', { incidentId, kind: 'call.started', payload: { title: 'bridge' } });
    await until(() => onCall(ana, incidentId), (names) => names === 'Ana,Ben');
    await until(() => onCall(ben, incidentId), (names) => names === 'Ana,Ben');
    // Both cockpits saw both people; each wrote its own person's join only.
    await new Promise((r) => setTimeout(r, 300));
    expect(attendance(ana, incidentId)).toEqual(['Ana: joined Ana', 'Ben: joined Ben']);
    expect(attendance(ben, incidentId)).toEqual(attendance(ana, incidentId));

    // Ben's window turns to the list: his cockpit writes his leave; looking again rejoins him.
    await callMethod(ben, 'presence.watch', { incidentId: null });
    await until(() => onCall(ana, incidentId), (names) => names === 'Ana');
    await callMethod(ben, 'presence.watch', { incidentId });
    await until(() => onCall(ana, incidentId), (names) => names === 'Ana,Ben');

    // Ana leaves the call herself and keeps looking: she is not put back on it.
    await callMethod(ana, 'events.append', { incidentId, kind: 'attendee.left', payload: { target: ana.events.stateOf(incidentId)!.calls[0]!.id, person: 'Ana' } });
    await callMethod(ben, 'presence.watch', { incidentId: null });
    await until(() => onCall(ana, incidentId), (names) => names === '');
    await callMethod(ben, 'presence.watch', { incidentId });
    await until(() => onCall(ana, incidentId), (names) => names === 'Ben');
    await new Promise((r) => setTimeout(r, 300));
    expect(onCall(ana, incidentId)).toBe('Ben');
    expect(attendance(ana, incidentId)).toEqual([
      'Ana: joined Ana',
      'Ben: joined Ben',
      'Ben: left Ben',
      'Ben: joined Ben',
      'Ana: left Ana',
      'Ben: left Ben',
      'Ben: joined Ben',
    ]);
  }, 30_000);
});
