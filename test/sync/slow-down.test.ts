import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../main/core/open.js';
import { SyncEngine, type EngineStatus, type SyncEngineOptions } from '../../main/core/sync/engine.js';
import { pendingCount } from '../../main/core/sync/outbox.js';
import type { PullResponse } from '../../shared/sync/protocol.js';
import type { PushLimits } from '../../server/hub/rate-limit.js';
import type { AuthLimits } from '../../server/hub/sign-in-throttle.js';
import { client, startHub, type HubFixture } from '../hub/hub-fixture.js';
import { cockpits, until } from './sync-fixture.js';

/*
 * The client when the hub says 'rate-limited': it waits as asked and goes on, in `conn sync`
 * (runOnce) and in a running cockpit, and never drops, settles or duplicates an event over it.
 */

const { cockpit, dispose } = cockpits('slow');
const hubs: HubFixture[] = [];
const engines: SyncEngine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.stop();
  for (const h of hubs.splice(0)) await h.dispose();
});
afterAll(() => dispose());

async function hubWith(opts: { pushLimits?: Partial<PushLimits>; authLimits?: Partial<AuthLimits> }): Promise<HubFixture> {
  const f = await startHub(opts);
  hubs.push(f);
  return f;
}

function engineFor(core: Core, url: string, token: string, opts: Partial<SyncEngineOptions> = {}): { engine: SyncEngine; seen: EngineStatus[] } {
  const engine = new SyncEngine(core, { url, token, reconnectDelayMs: 50, reconnectDelayMaxMs: 400, requestTimeoutMs: 10_000, ...opts });
  engines.push(engine);
  const seen: EngineStatus[] = [];
  engine.on('status', (s) => seen.push(s));
  return { engine, seen };
}

/** Writes an incident and n - 1 notes in one transaction; returns the incident id. */
function writeMany(core: Core, n: number): string {
  const { id } = core.incidents.declare({ title: 'Queue backlog', severity: 2 });
  core.db.transaction(() => {
    for (let i = 1; i < n; i++) core.events.appendLocal(id, 'note', { text: `offline note ${i}` });
  })();
  return id;
}

const localIds = (core: Core) => core.db.prepare<[], { id: string }>('SELECT id FROM events ORDER BY id').all().map((r) => r.id);

describe('`conn sync` (runOnce) through a low push limit', () => {
  it('waits out every slow-down and drains the whole outbox, losing and duplicating nothing', async () => {
    // A burst of 100 and 400 events a second: the 1,000 events need about two seconds of waits.
    const f = await hubWith({ pushLimits: { memberEventsPerSecond: 400, memberBurst: 100, teamEventsPerSecond: 0, teamBytesPerDay: 0 } });
    const kim = cockpit('Kim');
    writeMany(kim, 1000);
    const { engine, seen } = engineFor(kim, f.hub.url, await f.invite('ops', 'Kim'));

    const report = await engine.runOnce();
    expect(report.pushed).toBe(1000);
    expect(report.rejected).toEqual([]);
    expect(pendingCount(kim.db)).toBe(0);

    // It was slowed down, said so, and kept syncing (so runOnce did not stop there).
    const slowed = seen.filter((s) => s.errorCode === 'rate-limited');
    expect(slowed.length).toBeGreaterThan(0);
    expect(slowed[0]!.error).toMatch(/^the hub asked us to slow down; retrying in \d+s: Kim is pushing faster than this hub allows one member/);
    expect(slowed.every((s) => s.syncing)).toBe(true);
    expect(await (await fetch(`${f.hub.url}/metrics`)).text()).toMatch(/^conn_hub_rate_limited_total\{kind="member"\} [1-9]\d*$/m);

    // The hub has each event exactly once, densely sequenced; a teammate pulls them all.
    const reader = await client(f.hub.url, await f.invite('ops', 'Lee'));
    const seqs: number[] = [];
    const ids: string[] = [];
    for (let after = 0; ; ) {
      const page: PullResponse = await reader.timeout(10_000).emitWithAck('pull', { after, limit: 500 });
      seqs.push(...page.events.map((e) => e.seq));
      ids.push(...page.events.map((e) => (e.event as { id: string }).id));
      after = page.events[page.events.length - 1]?.seq ?? after;
      if (!page.more) break;
    }
    reader.close();
    expect(seqs).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect(ids.sort()).toEqual(localIds(kim));
  }, 60_000);
});

describe('a running cockpit slowed down by the hub', () => {
  it('keeps every unpushed event, still receives teammates’ events, and shows the wait', async () => {
    // One event a second after a burst of 10, and pushes of 10: Ana's second push waits ten seconds.
    const f = await hubWith({ pushLimits: { memberEventsPerSecond: 1, memberBurst: 10, teamEventsPerSecond: 0, teamBytesPerDay: 0 } });
    const ana = cockpit('Ana');
    const ben = cockpit('Ben');
    writeMany(ana, 30);
    const a = engineFor(ana, f.hub.url, await f.invite('ops', 'Ana'), { pageSize: 10 });
    const b = engineFor(ben, f.hub.url, await f.invite('ops', 'Ben'));
    a.engine.start();
    b.engine.start();

    const waiting = await until(() => a.engine.status(), (s) => s.errorCode === 'rate-limited' && s.state === 'online');
    expect(waiting.syncing).toBe(true);
    expect(waiting.pending).toBe(20);
    expect(waiting.rejected).toBe(0);

    // Pulls are not held up by the wait: Ben's incident reaches Ana while hers are paced.
    const { id } = ben.incidents.declare({ title: 'Meanwhile, elsewhere', severity: 3 });
    await until(() => ana.events.stateOf(id), (s) => s?.declared === true);
    expect(a.engine.status()).toMatchObject({ errorCode: 'rate-limited', rejected: 0 });
    expect(pendingCount(ana.db)).toBeGreaterThan(0);
  }, 30_000);
});

describe('signing in from an address the hub is holding off', () => {
  it('waits as asked and then syncs, instead of taking the refusal as a bad token', async () => {
    const f = await hubWith({ authLimits: { addressFailures: 2, windowMs: 1000, blockMs: 500 } });
    const token = await f.invite('ops', 'Rae');
    // Someone at the same address (127.0.0.1, as the engine connects from) got two tokens wrong.
    for (let i = 0; i < 2; i++) await expect(client(f.hub.url, `${token.slice(0, -4)}XXXX`)).rejects.toMatchObject({ data: { code: 'unauthenticated' } });
    const rae = cockpit('Rae');
    rae.incidents.declare({ title: 'Pushed after the wait', severity: 4 });
    const { engine, seen } = engineFor(rae, f.hub.url, token);

    const report = await engine.runOnce();
    expect(report.pushed).toBe(1);
    const held = seen.find((s) => s.errorCode === 'rate-limited');
    expect(held).toMatchObject({ state: 'connecting' });
    expect(held!.error).toMatch(/^the hub asked us to slow down; retrying in 1s: too many failed sign-ins from 127\.0\.0\.1/);
  });
});
