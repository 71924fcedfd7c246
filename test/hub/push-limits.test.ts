import { afterEach, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import type { ConnEvent } from '../../shared/domain/events.js';
import { newId } from '../../shared/domain/ids.js';
import type { EventsBroadcast, HubFailure, PullResponse, PushAck } from '../../shared/sync/protocol.js';
import type { PushLimits } from '../../server/hub/rate-limit.js';
import { client, declare, makeEvent, startHub, type HubFixture } from './hub-fixture.js';

/*
 * Push budgets on a real hub over loopback: a member or a team over its budget is refused as a
 * whole request with 'rate-limited' and how long to wait; nothing of it is written, and other
 * members and teams carry on. Rates are tiny so that refill during a test cannot blur the result.
 */

type Ack = PushAck & Partial<HubFailure>;

const hubs: HubFixture[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  for (const h of hubs.splice(0)) await h.dispose();
});

async function hubWith(pushLimits?: Partial<PushLimits>): Promise<HubFixture> {
  const f = await startHub(pushLimits ? { pushLimits } : {});
  hubs.push(f);
  return f;
}

async function member(f: HubFixture, team: string, name: string): Promise<Socket> {
  const s = await client(f.hub.url, await f.invite(team, name));
  sockets.push(s);
  return s;
}

function push(s: Socket, events: unknown[]): Promise<Ack> {
  return s.timeout(60_000).emitWithAck('push', { events });
}

/** An incident's declaration and then notes, n events in all, signed by `author`. */
function batch(author: string, n: number, text = 'checking the deploy'): ConnEvent[] {
  const inc = newId();
  return [declare(inc, author), ...Array.from({ length: n - 1 }, (_, i) => makeEvent(inc, 'note', { text: `${text} ${i}` }, author))];
}

async function teamLog(s: Socket): Promise<string[]> {
  const ids: string[] = [];
  for (let after = 0; ; ) {
    const page: PullResponse = await s.timeout(10_000).emitWithAck('pull', { after, limit: 500 });
    ids.push(...page.events.map((e) => (e.event as { id: string }).id));
    after = page.events[page.events.length - 1]?.seq ?? after;
    if (!page.more) return ids;
  }
}

async function metric(f: HubFixture, line: RegExp): Promise<number> {
  const text = await (await fetch(`${f.hub.url}/metrics`)).text();
  const m = line.exec(text);
  return m ? Number(m[1]) : 0;
}

describe('a member over its budget', () => {
  it('is refused the whole push with rate-limited and how long to wait, and none of it is written', async () => {
    const f = await hubWith({ memberEventsPerSecond: 2, memberBurst: 40, teamEventsPerSecond: 0, teamBytesPerDay: 0 });
    const ana = await member(f, 'payments', 'Ana');
    const first = batch('Ana', 30);
    expect((await push(ana, first)).accepted).toHaveLength(30);

    const over = batch('Ana', 20);
    const refused = await push(ana, over);
    expect(refused.error).toMatchObject({ code: 'rate-limited', message: expect.stringContaining('Ana is pushing faster than this hub allows one member') });
    expect(refused.error!.message).toContain('nothing of this push was written');
    // 10 events short at 2 a second: about five seconds, less what refilled since.
    expect(refused.error!.retryAfterMs).toBeGreaterThan(4000);
    expect(refused.error!.retryAfterMs).toBeLessThanOrEqual(5000);

    expect(await teamLog(ana)).toEqual(first.map((e) => e.id));
    // The refusal cost nothing: what is left of the budget still takes a push that fits it.
    const fits = batch('Ana', 10);
    expect((await push(ana, fits)).accepted.map((a) => a.id)).toEqual(fits.map((e) => e.id));
    expect(await metric(f, /^conn_hub_rate_limited_total\{kind="member"\} (\d+)$/m)).toBe(1);
  });

  it('is let through once it waited retryAfterMs', async () => {
    const f = await hubWith({ memberEventsPerSecond: 50, memberBurst: 10, teamEventsPerSecond: 0, teamBytesPerDay: 0 });
    const ana = await member(f, 'payments', 'Ana');
    expect((await push(ana, batch('Ana', 10))).accepted).toHaveLength(10);
    const again = batch('Ana', 10);
    const refused = await push(ana, again);
    expect(refused.error?.code).toBe('rate-limited');
    await new Promise((r) => setTimeout(r, refused.error!.retryAfterMs));
    expect((await push(ana, again)).accepted.map((a) => a.id)).toEqual(again.map((e) => e.id));
  });

  it('gets, by default, one full page at once and then 50 events a second', async () => {
    const f = await hubWith();
    const ana = await member(f, 'payments', 'Ana');
    expect((await push(ana, batch('Ana', 500))).accepted).toHaveLength(500);
    const refused = await push(ana, batch('Ana', 500));
    expect(refused.error).toMatchObject({ code: 'rate-limited', message: expect.stringContaining('(50 events/s, bursts of 500)') });
    expect(refused.error!.retryAfterMs).toBeGreaterThan(9000);
    expect(refused.error!.retryAfterMs).toBeLessThanOrEqual(10_000);
  });
});

describe('a team over its budget', () => {
  it("leaves a teammate under their own budget unaffected until the team's runs out, and other teams alone", async () => {
    const f = await hubWith({ memberEventsPerSecond: 2, memberBurst: 40, teamEventsPerSecond: 2, teamBurst: 100, teamBytesPerDay: 0 });
    const [ana, ben, cy, sam] = [await member(f, 'payments', 'Ana'), await member(f, 'payments', 'Ben'), await member(f, 'payments', 'Cy'), await member(f, 'search', 'Sam')];
    expect((await push(ana, batch('Ana', 40))).accepted).toHaveLength(40);
    expect((await push(ana, batch('Ana', 2))).error?.code).toBe('rate-limited');

    expect((await push(ben, batch('Ben', 40))).accepted).toHaveLength(40);
    const cyOver = await push(cy, batch('Cy', 40));
    expect(cyOver.error).toMatchObject({ code: 'rate-limited', message: expect.stringContaining('team "payments" is pushing faster than this hub allows one team') });
    expect(cyOver.error!.message).toContain('--team-rate');
    expect(cyOver.error!.retryAfterMs).toBeGreaterThan(9000);
    expect((await push(cy, batch('Cy', 20))).accepted).toHaveLength(20);

    expect((await push(sam, batch('Sam', 40))).accepted).toHaveLength(40);
    expect(await teamLog(ana)).toHaveLength(100);
    expect(await teamLog(sam)).toHaveLength(40);
    expect(await metric(f, /^conn_hub_rate_limited_total\{kind="team"\} (\d+)$/m)).toBe(1);
  });

  it('is refused past its bytes for the day, for hours, while another team pushes the same', async () => {
    const f = await hubWith({ memberEventsPerSecond: 0, teamEventsPerSecond: 0, teamBytesPerDay: 64 * 1024 });
    const [ana, ben, sam] = [await member(f, 'payments', 'Ana'), await member(f, 'payments', 'Ben'), await member(f, 'search', 'Sam')];
    const big = 'x'.repeat(15 * 1024);
    // A declaration and four 15 KiB notes: 60 KiB of the day's 64.
    expect((await push(ana, batch('Ana', 5, big))).accepted).toHaveLength(5);
    const refused = await push(ben, batch('Ben', 3, big));
    expect(refused.error).toMatchObject({ code: 'rate-limited', message: expect.stringContaining('team "payments" has pushed its 64 KiB for the day') });
    expect(refused.error!.retryAfterMs).toBeGreaterThan(3_600_000);
    expect((await push(sam, batch('Sam', 3, big))).accepted).toHaveLength(3);
    expect(await metric(f, /^conn_hub_rate_limited_total\{kind="team-bytes"\} (\d+)$/m)).toBe(1);
  });
});

describe('the flood from the finding: 1,500 events of 15 KB as fast as one socket can send them', () => {
  it('commits about the budget, refuses every other push whole, and teammates receive only what was committed', async () => {
    const f = await hubWith({ memberEventsPerSecond: 20, memberBurst: 100, teamEventsPerSecond: 0, teamBytesPerDay: 0 });
    const flooder = await member(f, 'payments', 'Ana');
    const teammate = await member(f, 'payments', 'Ben');
    await teammate.timeout(5000).emitWithAck('subscribe', {});
    let broadcast = 0;
    teammate.on('events', (b: EventsBroadcast) => (broadcast += b.events.length));

    const text = 'y'.repeat(15 * 1024);
    const inc = newId();
    const pushes = Array.from({ length: 150 }, (_, p) =>
      Array.from({ length: 10 }, (_, i) => (p === 0 && i === 0 ? declare(inc, 'Ana') : makeEvent(inc, 'note', { text: `${p}.${i} ${text}` }, 'Ana'))),
    );
    const started = Date.now();
    const acks = await Promise.all(pushes.map((events) => push(flooder, events)));
    const seconds = (Date.now() - started) / 1000;

    const accepted = acks.filter((a) => !a.error);
    const refused = acks.filter((a) => a.error);
    // All of a push or none of it: nothing dropped from the middle of an outbox.
    for (const a of accepted) expect(a.accepted).toHaveLength(10);
    for (const r of refused) expect(r.error).toMatchObject({ code: 'rate-limited', retryAfterMs: expect.any(Number) });
    for (const r of refused) expect(r.error!.retryAfterMs).toBeGreaterThan(0);
    const committed = accepted.length * 10;
    expect(committed).toBeGreaterThanOrEqual(100);
    expect(committed).toBeLessThanOrEqual(100 + 20 * seconds + 10);

    const log = await teamLog(teammate);
    expect(log).toEqual(accepted.flatMap((a) => a.accepted.map((x) => x.id)));
    const deadline = Date.now() + 5000;
    while (broadcast < committed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(broadcast).toBe(committed);
  }, 60_000);
});
