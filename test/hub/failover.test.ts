import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'redis';
import { dropPostgresSchema } from '../../server/store/postgres.js';
import { buildBin, ok, serveHub, type HubProcess } from '../sync/conn-bin.js';
import { fullTimeline, teammate, until, type Teammate } from '../sync/sync-fixture.js';

/*
 * A hub of two real `conn hub serve` processes on one Postgres and one Redis. A cockpit given
 * both addresses keeps syncing when its node is killed (SIGKILL) or drained (SIGTERM), and
 * through a rolling restart of both nodes under steady writes; a teammate on the other node gets
 * every entry exactly once.
 */

const PG = process.env['CONN_TEST_POSTGRES'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS = process.env['CONN_TEST_REDIS'] ?? 'redis://127.0.0.1:6379';
const run = randomBytes(4).toString('hex');
const schema = `conn_failover_${run}`;
const stream = `conn-failover-${run}`;
const work = mkdtempSync(path.join(tmpdir(), 'conn-failover-'));
const STORE = ['--postgres', PG, '--pg-schema', schema];
const SERVE = [...STORE, '--redis', REDIS, '--redis-stream', stream, '--member-rate', '0', '--team-rate', '0'];

const nodes: HubProcess[] = [];
const people: Teammate[] = [];
let tokens: { alice: string; bob: string };

async function startNode(port = 0): Promise<HubProcess> {
  const n = await serveHub(path.join(work, 'node'), port, {}, SERVE);
  nodes.push(n);
  return n;
}

async function stop(n: HubProcess, signal: NodeJS.Signals): Promise<void> {
  n.child.kill(signal);
  await n.exited;
}

function notesIn(t: Teammate, incidentId: string): string[] {
  return (fullTimeline(t.core)[incidentId] ?? []).filter((i) => i.kind === 'note').map((i) => (i as { text: string }).text);
}

beforeAll(async () => {
  buildBin();
  const invite = (name: string) => (JSON.parse(ok(path.join(work, 'admin'), ['--json', 'hub', 'invite', name, '--team', 'payments', '--role', 'admin', ...STORE])) as { token: string }).token;
  tokens = { alice: invite('Alice'), bob: invite('Bob') };
}, 120_000);

afterAll(async () => {
  for (const t of people) await t.offline();
  for (const t of people) t.core.close();
  for (const n of nodes) if (n.child.exitCode === null && n.child.signalCode === null) await stop(n, 'SIGKILL');
  await dropPostgresSchema(PG, schema);
  const r = createClient({ url: REDIS });
  await r.connect();
  await r.del(stream);
  await r.quit();
  rmSync(work, { recursive: true, force: true });
});

describe('a cockpit given several hub nodes', () => {
  it('keeps syncing when its node is killed, and a teammate on the other node gets every entry once', async () => {
    const a = await startNode();
    const b = await startNode();
    // Alice is on node A first (the list's order); Bob only knows node B.
    const alice = teammate('Alice', () => `${a.url},${b.url}`, tokens.alice);
    const bob = teammate('Bob', () => b.url, tokens.bob);
    people.push(alice, bob);
    alice.online();
    bob.online();
    const inc = alice.core.incidents.declare({ title: 'Checkout errors', severity: 2 }).id;
    alice.core.events.appendLocal(inc, 'note', { text: 'before the kill' });
    await until(() => notesIn(bob, inc), (n) => n.length === 1);
    expect(alice.engine!.status().node).toBe(a.url);

    await stop(a, 'SIGKILL');
    for (let i = 0; i < 10; i++) alice.core.events.appendLocal(inc, 'note', { text: `after the kill ${i}` });
    const seen = await until(() => notesIn(bob, inc), (n) => n.length === 11, 30_000);
    expect(seen).toEqual(['before the kill', ...Array.from({ length: 10 }, (_, i) => `after the kill ${i}`)]);
    expect(await until(() => alice.engine!.status(), (s) => s.state === 'online')).toMatchObject({ node: b.url, pending: 0 });
    // And the other way: Bob's entry reaches Alice on her new node.
    bob.core.events.appendLocal(inc, 'note', { text: 'from Bob' });
    await until(() => notesIn(alice, inc), (n) => n.includes('from Bob'));
    await alice.offline();
    await bob.offline();
    await stop(b, 'SIGKILL');
  }, 90_000);

  it('`conn sync` with both addresses syncs through the node that is up', async () => {
    const b = await startNode();
    const dir = path.join(work, 'cli');
    const deadPort = 1; // nothing listens there: the first address fails at once
    ok(dir, ['profile', '--name', 'Alice']);
    ok(dir, ['connect', `http://127.0.0.1:${deadPort},${b.url}`, '--token', tokens.alice]);
    ok(dir, ['declare', 'Payments latency', '--sev', '3']);
    const out = JSON.parse(ok(dir, ['--json', 'sync'])) as { pushed: number; hub: string };
    expect(out.pushed).toBeGreaterThan(0);
    expect(out.hub).toBe(`http://127.0.0.1:${deadPort},${b.url}`);
    await stop(b, 'SIGTERM');
  }, 60_000);

  it('loses nothing through a rolling restart of both nodes under steady writes', async () => {
    let a = await startNode();
    let b = await startNode();
    const alice = teammate('Alice', () => `${a.url},${b.url}`, tokens.alice);
    const bob = teammate('Bob', () => `${b.url},${a.url}`, tokens.bob);
    people.push(alice, bob);
    alice.online();
    bob.online();
    const inc = alice.core.incidents.declare({ title: 'Rolling restart', severity: 3 }).id;
    let written = 0;
    const writer = setInterval(() => alice.core.events.appendLocal(inc, 'note', { text: `steady ${written++}` }), 40);
    try {
      // One node at a time: drained with SIGTERM, started again on the same port.
      for (const which of ['a', 'b'] as const) {
        await new Promise((r) => setTimeout(r, 500));
        const old = which === 'a' ? a : b;
        await stop(old, 'SIGTERM');
        await new Promise((r) => setTimeout(r, 300));
        const fresh = await startNode(old.port);
        if (which === 'a') a = fresh;
        else b = fresh;
      }
      await new Promise((r) => setTimeout(r, 500));
    } finally {
      clearInterval(writer);
    }
    const expected = Array.from({ length: written }, (_, i) => `steady ${i}`);
    await until(() => notesIn(bob, inc), (n) => n.length === written, 30_000);
    expect(notesIn(bob, inc)).toEqual(expected);
    expect(notesIn(alice, inc)).toEqual(expected);
    await until(() => alice.engine!.status(), (s) => s.state === 'online' && s.pending === 0);
    expect(bob.engine!.status().state).toBe('online');
  }, 120_000);
});
