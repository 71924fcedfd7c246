/*
 * `npm run bench -- hub-load`: real hub nodes (`conn hub serve` processes on Postgres + Redis)
 * and N simulated cockpits speaking the real protocol (handshake with a token, subscribe, push,
 * broadcasts), all on loopback, bounded in count and time. For each scenario it reports the
 * cockpits held, events committed per second, p50/p99 from push to delivery on another cockpit,
 * the hub's memory per connection, and the same figures for a raw baseline measured in this run:
 *   - fan-out: a plain socket.io server process with the same Redis Streams adapter, rooms of the
 *     same sizes, the same payloads relayed at the same rate;
 *   - commits: raw batched INSERTs of the same events into a plain Postgres table.
 * The simulated cockpits share the machine with the hub: the CPU each side used is printed.
 *
 * Scenarios (the goals): 1 node, 1,000 cockpits as 50 teams of 20, 200 events/s in all;
 * 2 nodes, the same, each team split across both nodes; 1 node, one team of 200 at 50 events/s.
 * `--quick` runs each at a tenth of the size (a smoke run). `--seconds N` sets the measured time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createClient } from 'redis';
import { io as connect, type Socket } from 'socket.io-client';
import type { ConnEvent } from '../shared/domain/events.js';
import { newId } from '../shared/domain/ids.js';
import { formatHlc } from '../shared/sync/hlc.js';
import { HUB_PROTOCOL_VERSION, type EventsBroadcast, type PushAck } from '../shared/sync/protocol.js';
import { dropPostgresSchema, openPostgresStore } from '../server/store/postgres.js';
import { percentile, report } from './report.js';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const PG = process.env['CONN_TEST_POSTGRES'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS = process.env['CONN_TEST_REDIS'] ?? 'redis://127.0.0.1:6379';
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const secondsArg = args.indexOf('--seconds');
const SECONDS = secondsArg >= 0 ? Number(args[secondsArg + 1]) : quick ? 5 : 15;
const scale = (n: number) => (quick ? Math.max(2, Math.round(n / 10)) : n);
const CONNECT_TIMEOUT_MS = 120_000;

interface Scenario {
  name: string;
  nodes: 1 | 2;
  teams: number;
  perTeam: number;
  eventsPerSecond: number;
}

const SCENARIOS: Scenario[] = [
  { name: '1 node, 50 teams of 20', nodes: 1, teams: scale(50), perTeam: 20, eventsPerSecond: scale(200) },
  { name: '2 nodes, 50 teams of 20', nodes: 2, teams: scale(50), perTeam: 20, eventsPerSecond: scale(200) },
  { name: '1 node, one team of 200', nodes: 1, teams: 1, perTeam: scale(200), eventsPerSecond: scale(50) },
];

// ---- processes and their resource use ----

interface Proc {
  child: ChildProcess;
  url: string;
}

function cpuMs(pid: number): number {
  // utime + stime, in clock ticks (100 per second on Linux).
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** CPU ms of every process whose name is one of `names` (Postgres backends, redis-server): the rest of the stack. */
function cpuMsOfNamed(names: readonly string[]): number {
  let ms = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (names.includes(readFileSync(`/proc/${entry}/comm`, 'utf8').trim())) ms += cpuMs(Number(entry));
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return ms;
}

/** The whole machine's busy and total CPU ticks (/proc/stat), to say how much of it a run had. */
function machineTicks(): { busy: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = f[3]! + (f[4] ?? 0);
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : Number.NaN;
}

function start(cmd: string[], env: Record<string, string>, listening: RegExp): Promise<Proc> {
  const child = spawn(process.execPath, cmd, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = listening.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.once('exit', (code) => reject(new Error(`${cmd.join(' ')} exited ${code} before listening: ${err}`)));
  });
}

async function stop(p: Proc): Promise<void> {
  if (p.child.exitCode !== null) return;
  const exited = new Promise((r) => p.child.once('exit', r));
  p.child.kill('SIGTERM');
  await exited;
}

// ---- simulated cockpits ----

function open(url: string, auth?: object): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(url, { transports: ['websocket'], reconnection: false, timeout: CONNECT_TIMEOUT_MS, ...(auth ? { auth } : {}) });
    s.once('connect', () => resolve(s));
    s.once('connect_error', (e) => reject(e));
  });
}

/** Opens sockets a few at a time: a thousand handshakes at once only measure the accept queue. */
async function openAll<T>(items: T[], fn: (item: T) => Promise<Socket>, concurrency = 25): Promise<Socket[]> {
  const out: Socket[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

let counter = 0;
function note(incidentId: string, author: string, declare: boolean): ConnEvent {
  counter = (counter + 1) % 99_999;
  return {
    id: newId(),
    incidentId,
    hlc: formatHlc({ wall: Date.now(), counter }),
    author: { id: `bench-${author}`, name: author },
    kind: declare ? 'incident.declared' : 'note',
    payload: declare ? { title: 'Load incident', severity: 2, services: [] } : { text: 'the cache is warm again and p99 is back under 200 ms' },
  } as ConnEvent;
}

/** The hub's own store latency (commits, pulls, sign-ins) from its /metrics histogram. */
interface StoreLatency {
  meanMs: number;
  /** The histogram bucket the 99th percentile falls in ("≤ N ms"). */
  p99UpToMs: number | string;
}

const METRICS_TOKEN = randomBytes(16).toString('hex');

async function storeLatencyOf(url: string): Promise<StoreLatency | undefined> {
  const res = await fetch(new URL('/metrics', url), { headers: { authorization: `Bearer ${METRICS_TOKEN}` } }).catch(() => undefined);
  if (!res?.ok) return undefined;
  const text = await res.text();
  const num = (re: RegExp) => Number(re.exec(text)?.[1] ?? Number.NaN);
  const count = num(/^conn_hub_store_latency_ms_count (\S+)$/m);
  const sum = num(/^conn_hub_store_latency_ms_sum (\S+)$/m);
  const buckets = [...text.matchAll(/^conn_hub_store_latency_ms_bucket\{le="([^"]+)"\} (\S+)$/gm)].map((m) => ({ le: m[1]!, n: Number(m[2]) }));
  const p99 = buckets.find((b) => b.n >= 0.99 * count);
  return { meanMs: Number((sum / Math.max(1, count)).toFixed(1)), p99UpToMs: p99 ? (p99.le === '+Inf' ? '+Inf' : Number(p99.le)) : 'n/a' };
}

interface Measured {
  storeLatency?: StoreLatency | undefined;
  held: number;
  committedPerSecond: number;
  deliveriesPerSecond: number;
  p50: number;
  p99: number;
  delivered: number;
  expected: number;
  serverCpuPct: number;
  clientCpuPct: number;
  serverBytesPerConnection: number;
  /** The profile: what else was busy while the load ran (one core = 100). */
  postgresCpuPct: number;
  redisCpuPct: number;
  machineBusyPct: number;
  loadAverage: number;
}

/**
 * Drives a load: `writers[t]` pushes for team t at an even share of the rate; every socket in
 * `listeners[t]` records the delay from the push's send time to its delivery. The writer of each
 * team is one of its cockpits, on the first node; with two nodes, the team's other cockpits
 * alternate between nodes, so half the deliveries cross Redis.
 */
async function drive(
  sc: Scenario,
  servers: Array<{ pid: number }>,
  baselineRss: number,
  sockets: Socket[][],
  push: (team: number, e: ConnEvent) => Promise<void>,
  eventName: string,
  idOf: (msg: unknown) => string[],
  authorOf: (team: number) => string,
  incidents: string[],
): Promise<Measured> {
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let delivered = 0;
  for (const team of sockets)
    for (const s of team)
      s.on(eventName, (msg: unknown) => {
        const now = performance.now();
        for (const id of idOf(msg)) {
          const at = sentAt.get(id);
          if (at === undefined) continue;
          latencies.push(now - at);
          delivered += 1;
        }
      });
  const held = sockets.reduce((n, t) => n + t.filter((s) => s.connected).length, 0);
  const rss = servers.reduce((n, s) => n + rssBytes(s.pid), 0);
  const cpu0 = servers.map((s) => cpuMs(s.pid));
  const self0 = process.cpuUsage();
  const [pg0, redis0, machine0] = [cpuMsOfNamed(['postgres']), cpuMsOfNamed(['redis-server']), machineTicks()];
  const started = performance.now();
  const intervalMs = (1000 * sc.teams) / sc.eventsPerSecond; // each team's writer, evenly spaced
  let sent = 0;
  let committed = 0;
  let failed = 0;
  let firstFailure: string | undefined;
  const pending: Array<Promise<void>> = [];
  await new Promise<void>((resolve) => {
    const timers = Array.from({ length: sc.teams }, (_, t) =>
      setTimeout(() => {
        const tick = setInterval(() => {
          if (performance.now() - started > SECONDS * 1000) return;
          const e = note(incidents[t]!, authorOf(t), false);
          sentAt.set(e.id, performance.now());
          sent += 1;
          pending.push(push(t, e).then(() => void (committed += 1), (err: Error) => {
            failed += 1;
            firstFailure ??= err.message;
          }));
        }, intervalMs);
        intervals.push(tick);
      }, (t * intervalMs) / sc.teams),
    );
    const intervals: NodeJS.Timeout[] = [];
    setTimeout(() => {
      for (const t of timers) clearTimeout(t);
      for (const i of intervals) clearInterval(i);
      resolve();
    }, SECONDS * 1000);
  });
  await Promise.all(pending);
  // Let the last broadcasts arrive (bounded).
  const expected = sent * sc.perTeam;
  const drainUntil = performance.now() + 10_000;
  while (delivered < expected && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 50));
  const secs = (performance.now() - started) / 1000;
  const cpu1 = servers.map((s) => cpuMs(s.pid));
  const self1 = process.cpuUsage(self0);
  const [pg1, redis1, machine1] = [cpuMsOfNamed(['postgres']), cpuMsOfNamed(['redis-server']), machineTicks()];
  for (const team of sockets) for (const s of team) s.removeAllListeners(eventName);
  if (failed) throw new Error(`${failed} of ${sent} pushes failed, the first with: ${firstFailure}`);
  latencies.sort((a, b) => a - b);
  return {
    held,
    committedPerSecond: committed / SECONDS,
    deliveriesPerSecond: delivered / secs,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    delivered,
    expected,
    serverCpuPct: (100 * cpu1.reduce((n, c, i) => n + c - cpu0[i]!, 0)) / (secs * 1000),
    clientCpuPct: (100 * (self1.user + self1.system)) / 1000 / (secs * 1000),
    serverBytesPerConnection: (rss - baselineRss) / Math.max(1, held),
    postgresCpuPct: (100 * (pg1 - pg0)) / (secs * 1000),
    redisCpuPct: (100 * (redis1 - redis0)) / (secs * 1000),
    machineBusyPct: (100 * (machine1.busy - machine0.busy)) / Math.max(1, machine1.total - machine0.total),
    loadAverage: loadavg()[0]!,
  };
}

// ---- the scenarios ----

/** The event ids a broadcast carries (the hub's and the raw baseline's messages have one shape). */
const idsIn = (msg: unknown): string[] => (msg as EventsBroadcast).events.map((x) => (x.event as { id: string }).id);

/** Removes a scenario's Redis stream, so runs leave nothing behind on a shared Redis. */
async function dropStream(name: string): Promise<void> {
  const r = createClient({ url: REDIS });
  await r.connect();
  await r.del(name);
  await r.quit();
}

async function hubScenario(sc: Scenario): Promise<Measured> {
  const run = randomBytes(4).toString('hex');
  const schema = `conn_load_${run}`;
  const stream = `conn-load-${run}`;
  const store = await openPostgresStore({ url: PG, schema });
  const total = sc.teams * sc.perTeam;
  const names = (t: number) => Array.from({ length: sc.perTeam }, (_, i) => `t${t}m${i}`);
  const tokens: string[][] = [];
  for (let t = 0; t < sc.teams; t++) tokens.push(await Promise.all(names(t).map(async (n) => (await store.invite(`team${t}`, n, 'member')).token)));
  await store.close();
  const serve = (i: number) =>
    start(
      ['bin/conn.js', '--data-dir', `/tmp/conn-load-${run}-${i}`, 'hub', 'serve', '--port', '0', '--postgres', PG, '--pg-schema', schema, '--redis', REDIS, '--redis-stream', stream, '--member-rate', '0', '--team-rate', '0', '--team-bytes-per-day', '0', '--log-level', 'warn'],
      { CONN_HUB_METRICS_TOKEN: METRICS_TOKEN },
      /listening on (http:\/\/\S+)/,
    );
  const nodes: Proc[] = [];
  for (let i = 0; i < sc.nodes; i++) nodes.push(await serve(i));
  try {
    const baselineRss = nodes.reduce((n, p) => n + rssBytes(p.child.pid!), 0);
    const plan = tokens.flatMap((team, t) => team.map((token, i) => ({ t, i, token, url: nodes[sc.nodes === 2 ? i % 2 : 0]!.url })));
    // Every simulated cockpit signs in from 127.0.0.1, and the hub counts sign-ins still being
    // checked against an address's 10 allowed failures: stay under that, as real cockpits (from
    // many addresses) do by themselves.
    const flat = await openAll(plan, (p) => open(p.url, { token: p.token, protocol: HUB_PROTOCOL_VERSION }), 8);
    await Promise.all(flat.map((s) => s.timeout(CONNECT_TIMEOUT_MS).emitWithAck('subscribe', {})));
    const sockets = tokens.map((team, t) => flat.slice(t * sc.perTeam, (t + 1) * sc.perTeam));
    if (flat.length !== total) throw new Error(`held ${flat.length} of ${total}`);
    const incidents = tokens.map(() => newId());
    const pushVia = async (s: Socket, e: ConnEvent) => {
      const ack = (await s.timeout(30_000).emitWithAck('push', { events: [e] })) as Partial<PushAck> & { error?: { message: string } };
      if (ack.error || ack.rejected?.length) throw new Error(ack.error?.message ?? ack.rejected![0]!.message);
    };
    for (let t = 0; t < sc.teams; t++) await pushVia(sockets[t]![0]!, note(incidents[t]!, `t${t}m0`, true));
    const measured = await drive(
      sc,
      nodes.map((n) => ({ pid: n.child.pid! })),
      baselineRss,
      sockets,
      (t, e) => pushVia(sockets[t]![0]!, e),
      'events',
      idsIn,
      (t) => `t${t}m0`,
      incidents,
    ).finally(() => {
      for (const s of flat) s.close();
    });
    return { ...measured, storeLatency: await storeLatencyOf(nodes[0]!.url) };
  } finally {
    for (const n of nodes) await stop(n);
    await dropPostgresSchema(PG, schema);
    await dropStream(stream);
  }
}

/** The raw fan-out baseline: a plain socket.io server (same adapter) relays each message to its room. */
async function rawScenario(sc: Scenario): Promise<Measured> {
  const stream = `conn-load-raw-${randomBytes(4).toString('hex')}`;
  const serve = () => start(['--import', 'tsx', 'bench/raw-fanout-server.ts'], { RAW_REDIS: REDIS, RAW_STREAM: stream }, /listening on (http:\/\/\S+)/);
  const nodes: Proc[] = [];
  for (let i = 0; i < sc.nodes; i++) nodes.push(await serve());
  try {
    const baselineRss = nodes.reduce((n, p) => n + rssBytes(p.child.pid!), 0);
    const plan = Array.from({ length: sc.teams * sc.perTeam }, (_, k) => ({ t: Math.floor(k / sc.perTeam), i: k % sc.perTeam }));
    const flat = await openAll(plan, (p) => open(nodes[sc.nodes === 2 ? p.i % 2 : 0]!.url));
    await Promise.all(flat.map((s, k) => s.timeout(CONNECT_TIMEOUT_MS).emitWithAck('join', `team${plan[k]!.t}`)));
    const sockets = Array.from({ length: sc.teams }, (_, t) => flat.slice(t * sc.perTeam, (t + 1) * sc.perTeam));
    const incidents = sockets.map(() => newId());
    // The same message a hub broadcasts: {from, to, events: [{seq, event}]}.
    let seq = 0;
    return await drive(
      sc,
      nodes.map((n) => ({ pid: n.child.pid! })),
      baselineRss,
      sockets,
      async (t, e) => {
        seq += 1;
        await sockets[t]![0]!.timeout(30_000).emitWithAck('relay', `team${t}`, { from: seq, to: seq, events: [{ seq, event: e }] });
      },
      'events',
      idsIn,
      (t) => `t${t}m0`,
      incidents,
    ).finally(() => {
      for (const s of flat) s.close();
    });
  } finally {
    for (const n of nodes) await stop(n);
    await dropStream(stream);
  }
}

/** The raw commit baseline: the same events as rows, batched INSERTs into a plain table, as fast as it goes. */
async function rawCommitsPerSecond(): Promise<number> {
  const client = new pg.Client({ connectionString: PG });
  await client.connect();
  const table = `conn_load_raw_${randomBytes(4).toString('hex')}`;
  await client.query(`CREATE TABLE ${table} (seq bigserial PRIMARY KEY, team text, id text UNIQUE, body jsonb)`);
  try {
    const inc = newId();
    let n = 0;
    const started = performance.now();
    while (performance.now() - started < 3000) {
      const batch = Array.from({ length: 10 }, () => note(inc, 'raw', false));
      const values = batch.map((_, i) => `($1, $${i * 2 + 2}, $${i * 2 + 3})`).join(', ');
      await client.query(`INSERT INTO ${table} (team, id, body) VALUES ${values}`, ['team0', ...batch.flatMap((e) => [e.id, JSON.stringify(e)])]);
      n += batch.length;
    }
    return n / ((performance.now() - started) / 1000);
  } finally {
    await client.query(`DROP TABLE ${table}`);
    await client.end();
  }
}

/** The hub's commit capacity: pushes of 10 events, back to back, from 20 writers on one node. */
async function hubCommitsPerSecond(): Promise<number> {
  const run = randomBytes(4).toString('hex');
  const schema = `conn_load_commit_${run}`;
  const store = await openPostgresStore({ url: PG, schema });
  const writers = await Promise.all(Array.from({ length: 20 }, async (_, i) => ({ name: `w${i}`, token: (await store.invite(`team${i}`, `w${i}`, 'member')).token })));
  await store.close();
  const node = await start(
    ['bin/conn.js', '--data-dir', `/tmp/conn-load-${run}`, 'hub', 'serve', '--port', '0', '--postgres', PG, '--pg-schema', schema, '--member-rate', '0', '--team-rate', '0', '--team-bytes-per-day', '0', '--log-level', 'warn'],
    {},
    /listening on (http:\/\/\S+)/,
  );
  try {
    // Under the hub's limit of sign-ins being checked at once from one address (see hubScenario).
    const sockets = await openAll(writers, (w) => open(node.url, { token: w.token, protocol: HUB_PROTOCOL_VERSION }), 8);
    const incidents = writers.map(() => newId());
    await Promise.all(sockets.map((s, i) => s.emitWithAck('push', { events: [note(incidents[i]!, writers[i]!.name, true)] })));
    let n = 0;
    const started = performance.now();
    await Promise.all(
      sockets.map(async (s, i) => {
        while (performance.now() - started < 3000) {
          const ack = (await s.emitWithAck('push', { events: Array.from({ length: 10 }, () => note(incidents[i]!, writers[i]!.name, false)) })) as PushAck;
          n += ack.accepted.length;
        }
      }),
    );
    const rate = n / ((performance.now() - started) / 1000);
    for (const s of sockets) s.close();
    return rate;
  } finally {
    await stop(node);
    await dropPostgresSchema(PG, schema);
  }
}

const cpus = (await import('node:os')).cpus();
console.log(`machine: ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, Node ${process.version}; ${SECONDS} s measured per scenario${quick ? ' (--quick: a tenth of the size)' : ''}`);
for (const sc of args.includes('--commits-only') ? [] : SCENARIOS) {
  const ours = await hubScenario(sc);
  const raw = await rawScenario(sc);
  const mib = (b: number) => Number((b / 1024).toFixed(1));
  report({
    name: `hub load, ${sc.name} (${sc.teams * sc.perTeam} cockpits, ${sc.eventsPerSecond} events/s): deliveries`,
    value: ours.deliveriesPerSecond,
    baseline: raw.deliveriesPerSecond,
    unit: 'deliveries/s',
    lowerIsBetter: false,
    extra: {
      held: ours.held,
      delivered: `${ours.delivered}/${ours.expected}`,
      committed_per_s: Number(ours.committedPerSecond.toFixed(1)),
      p50_ms: Number(ours.p50.toFixed(1)),
      p99_ms: Number(ours.p99.toFixed(1)),
      raw_p50_ms: Number(raw.p50.toFixed(1)),
      raw_p99_ms: Number(raw.p99.toFixed(1)),
      hub_kib_per_conn: mib(ours.serverBytesPerConnection),
      raw_kib_per_conn: mib(raw.serverBytesPerConnection),
      hub_cpu_pct: Number(ours.serverCpuPct.toFixed(0)),
      cockpits_cpu_pct: Number(ours.clientCpuPct.toFixed(0)),
      postgres_cpu_pct: Number(ours.postgresCpuPct.toFixed(0)),
      redis_cpu_pct: Number(ours.redisCpuPct.toFixed(0)),
      machine_busy_pct: Number(ours.machineBusyPct.toFixed(0)),
      load_avg_1m: Number(ours.loadAverage.toFixed(1)),
      ...(ours.storeLatency ? { store_mean_ms: ours.storeLatency.meanMs, store_p99_le_ms: ours.storeLatency.p99UpToMs } : {}),
    },
  });
  report({ name: `hub load, ${sc.name}: p99 push→delivery`, value: ours.p99, baseline: raw.p99, unit: 'ms', lowerIsBetter: true });
}
const [ourCommits, rawCommits] = [await hubCommitsPerSecond(), await rawCommitsPerSecond()];
report({ name: 'hub commits on Postgres (20 writers, pushes of 10)', value: ourCommits, baseline: rawCommits, unit: 'events/s', lowerIsBetter: false, extra: { baseline: 'batched INSERTs of 10, one connection' } });
