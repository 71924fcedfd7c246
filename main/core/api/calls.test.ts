import { afterEach, describe, expect, it } from 'vitest';
import { tempCore } from '../../../test/core/temp-core.js';
import { inProcessClient } from './in-process.js';

/*
 * Reading minutes in the reader's zone, and the planned calls a cockpit notifies, through the
 * typed client over a real SQLite file.
 */

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});
async function ana() {
  const t = tempCore();
  cleanups.push(t.cleanup);
  const api = inProcessClient(t.core);
  await api.call('profile.set', { name: 'Ana', timeZone: 'America/Los_Angeles' });
  const { id } = await api.call('incidents.declare', { title: 'Checkout down', severity: 2 });
  return { api, id, core: t.core };
}
const failure = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);

describe('minutes.read', () => {
  it('writes the minutes Conn drafted again in the reader\'s zone, and shows edited minutes as written', async () => {
    const { api, id } = await ana();
    const call = await api.call('events.append', { incidentId: id, kind: 'call.started', payload: { title: 'Bridge' } });
    await api.call('events.append', { incidentId: id, kind: 'decision', payload: { text: 'Roll back 4.2' } });
    const { minutes } = await api.call('calls.end', { incidentId: id, callId: call.id });
    expect((minutes.payload as { text: string }).text).toContain('- Times in America/Los_Angeles\n');

    const mine = await api.call('minutes.read', { incidentId: id });
    expect(mine).toMatchObject({ status: 'draft', author: 'Ana', callId: call.id, timeZone: 'America/Los_Angeles', localised: false });

    for (const zone of ['Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Adelaide']) {
      const theirs = await api.call('minutes.read', { incidentId: id, callId: call.id, timeZone: zone });
      expect(theirs).toMatchObject({ status: 'draft', timeZone: zone, localised: true });
      expect(theirs?.text).toContain(`- Times in ${zone}\n`);
      expect(theirs?.text).toContain('Roll back 4.2');
    }

    const edited = (minutes.payload as { text: string }).text.replace('Roll back 4.2', 'Roll back 4.2 (agreed by all)');
    await api.call('minutes.publish', { incidentId: id, callId: call.id, text: edited });
    const published = await api.call('minutes.read', { incidentId: id, callId: call.id, timeZone: 'Asia/Kolkata' });
    expect(published).toMatchObject({ status: 'published', text: edited, timeZone: 'America/Los_Angeles', localised: false });
  });

  it('answers null without minutes, and refuses a zone that is not one', async () => {
    const { api, id } = await ana();
    expect(await api.call('minutes.read', { incidentId: id })).toBeNull();
    expect(await failure(api.call('minutes.read', { incidentId: id, timeZone: 'Mars/Base' }))).toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/"Mars\/Base" is not an IANA time zone/) });
  });
});

describe('calls.upcoming', () => {
  it('lists calls planned on active incidents in the window, soonest first, saying whether you are on them', async () => {
    const { api, id } = await ana();
    const inMin = (m: number) => new Date(Date.now() + m * 60_000).toISOString();
    const plan = (at: string, attendees: string[], title: string) => api.call('events.append', { incidentId: id, kind: 'call.planned', payload: { at, lengthMin: 30, attendees, title } });
    await plan(inMin(120), ['Ana', 'Bo'], 'Later');
    await plan(inMin(60), ['ana', 'Cy'], 'Sooner');
    await plan(inMin(-30), ['Ana'], 'Long past');
    await plan(inMin(3 * 24 * 60), ['Ana'], 'Next week-ish');
    const other = await api.call('incidents.declare', { title: 'Old one', severity: 3 });
    await api.call('events.append', { incidentId: other.id, kind: 'call.planned', payload: { at: inMin(30), lengthMin: 15, attendees: ['Bo'] } });

    const upcoming = await api.call('calls.upcoming', {});
    expect(upcoming.map((u) => [u.call.title, u.you])).toEqual([[null, false], ['Sooner', true], ['Later', true]]);
    await api.call('events.append', { incidentId: other.id, kind: 'status.changed', payload: { status: 'resolved' } });
    expect((await api.call('calls.upcoming', { withinMin: 90 })).map((u) => u.call.title)).toEqual(['Sooner']);
  });

  it('refuses a planned call without attendees or of a silly length, and saves nothing', async () => {
    const { api, id } = await ana();
    const at = new Date(Date.now() + 3_600_000).toISOString();
    expect(await failure(api.call('events.append', { incidentId: id, kind: 'call.planned', payload: { at, lengthMin: 30, attendees: [] } }))).toMatchObject({ code: 'invalid-input' });
    expect(await failure(api.call('events.append', { incidentId: id, kind: 'call.planned', payload: { at, lengthMin: 2, attendees: ['Ana'] } }))).toMatchObject({ code: 'invalid-input' });
    expect(await failure(api.call('events.append', { incidentId: id, kind: 'call.planned', payload: { at: 'tomorrow', lengthMin: 30, attendees: ['Ana'] } }))).toMatchObject({ code: 'invalid-input' });
    expect((await api.call('incidents.get', { ref: id })).plannedCalls).toEqual([]);
  });
});
