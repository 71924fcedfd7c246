/*
 * Sync benchmarks, each against a raw equivalent measured in this run (a budget is a ratio to
 * it, not a time, so it holds on a slow or loaded machine):
 * - catch-up of 10k events after being offline: the SyncEngine pulling pages from the hub and
 *   applying each through the core, vs a raw socket.io cursor pull of the same rows from the
 *   same SQLite file into a plain table (budget: ≤ 1.5x the time);
 * - fan-out to 50 clients in a team room: the hub's push → commit → broadcast, vs a raw
 *   socket.io room broadcast of the same payloads (budget: ≥ 0.8x the deliveries/s, the goal of issue 16), with p99.
 */
import Database from 'better-sqlite3';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import type { ConnEvent } from '../shared/domain/events.js';
import { newId } from '../shared/domain/ids.js';
import { formatHlc } from '../shared/sync/hlc.js';
import { HUB_PROTOCOL_VERSION, type EventsBroadcast, type PushAck, type SequencedEvent } from '../shared/sync/protocol.js';
import { createHub } from '../server/hub/hub.js';
import { openSqliteStore } from '../server/store/sqlite.js';
import { dropPostgresSchema, openPostgresStore } from '../server/store/postgres.js';
import pg from 'pg';
import { openCore } from '../main/core/open.js';
import { SyncEngine } from '../main/core/sync/engine.js';
import { report } from './report.js';

const PG = process.env['CONN_TEST_POSTGRES'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const work = mkdtempSync(path.join(tmpdir(), 'conn-sync-bench-'));
const CATCH_UP_EVENTS = 10_000;
const FAN_OUT_CLIENTS = 50;
const FAN_OUT_MESSAGES = 200;
/** Messages each path sends before it is measured: the hub's push path (validation, commit, fold) is
 * much longer than a raw relay, and 50 left it still being compiled by V8 in the measured run. */
const FAN_OUT_WARM_UP = 200;
const RUNS = 3;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function p99(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.99))]!;
}

let counter = 0;
function note(incidentId: string, i: number, wall = Date.now()): ConnEvent {
  counter = (counter + 1) % 99_999;
  return {
    id: newId(),
    incidentId,
    hlc: formatHlc({ wall, counter }),
    author: { id: 'bench', name: 'Bench' },
    kind: i === 0 ? 'incident.declared' : 'note',
    payload: i === 0 ? { title: 'Bench incident', severity: 2, services: [] } : { text: `note ${i}: the cache is warm again and p99 is back under 200 ms` },
  } as ConnEvent;
}

function connectClient(url: string, token?: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(url, { transports: ['websocket'], reconnection: false, ...(token ? { auth: { token, protocol: HUB_PROTOCOL_VERSION } } : {}) });
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}

/**
 * The hub's rows by cursor, read the plainest way its store allows: the raw baseline's server
 * side. SQLite: a prepared SELECT on the hub's file; Postgres: one query per page on a client.
 */
interface RawPages {
  page(after: number): Promise<Array<{ seq: number; body: string }>>;
  close(): Promise<void>;
}

async function catchUp(kind: 'sqlite' | 'postgres'): Promise<void> {
  const hubDir = path.join(work, `hub-${kind}`);
  const pgSchema = `conn_catchup_bench_${process.pid}`;
  const store = kind === 'sqlite' ? openSqliteStore(hubDir) : await openPostgresStore({ url: PG, schema: pgSchema });
  const hub = await createHub({ store });
  const invite = await store.invite('bench', 'Bench', 'admin');
  const member = (await store.authenticate(invite.token))!;
  const incidents = Array.from({ length: 10 }, () => newId());
  const all = Array.from({ length: CATCH_UP_EVENTS }, (_, i) => note(incidents[i % 10]!, Math.floor(i / 10), Date.now() - 60_000 + i));
  for (let i = 0; i < all.length; i += 500) await store.commit(member, all.slice(i, i + 500));

  // Raw baseline: the same rows by cursor over plain socket.io, into a plain table, one transaction per page.
  const raw = await rawPages(kind, hubDir, pgSchema, member.teamId);
  const rawServer = http.createServer();
  const rawIo = new Server(rawServer, { maxHttpBufferSize: 8 * 1024 * 1024 });
  rawIo.on('connection', (s) =>
    s.on('pull', (after: number, ack: (rows: SequencedEvent[]) => void) => void raw.page(after).then((rows) => ack(rows.map((r) => ({ seq: r.seq, event: JSON.parse(r.body) as unknown }))))),
  );
  await new Promise<void>((r) => rawServer.listen(0, '127.0.0.1', r));
  const rawUrl = `http://127.0.0.1:${(rawServer.address() as AddressInfo).port}`;

  const ours: number[] = [];
  const rawMs: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const dir = path.join(work, `client-${kind}-${run}`);
    const core = openCore({ dataDir: dir });
    const started = performance.now();
    const result = await new SyncEngine(core, { url: hub.url, token: invite.token }).runOnce();
    ours.push(performance.now() - started);
    if (result.pulled !== CATCH_UP_EVENTS) throw new Error(`caught up ${result.pulled} of ${CATCH_UP_EVENTS}`);
    await core.close();

    const db = new Database(path.join(work, `raw-${kind}-${run}.db`));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE events (id TEXT PRIMARY KEY, incident_id TEXT, hlc TEXT, kind TEXT, author_id TEXT, author_name TEXT, payload TEXT, supersedes TEXT) WITHOUT ROWID; CREATE TABLE cursor (seq INTEGER)');
    const insert = db.prepare('INSERT OR IGNORE INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    const setCursor = db.prepare('UPDATE cursor SET seq = ?');
    db.prepare('INSERT INTO cursor VALUES (0)').run();
    const t0 = performance.now();
    const s = await connectClient(rawUrl);
    let after = 0;
    for (;;) {
      const rows: SequencedEvent[] = await s.emitWithAck('pull', after);
      if (rows.length === 0) break;
      db.transaction(() => {
        for (const r of rows) {
          const e = r.event as ConnEvent;
          insert.run(e.id, e.incidentId, e.hlc, e.kind, e.author.id, e.author.name, JSON.stringify(e.payload), e.supersedes ? JSON.stringify(e.supersedes) : null);
        }
        after = rows[rows.length - 1]!.seq;
        setCursor.run(after);
      })();
    }
    rawMs.push(performance.now() - t0);
    s.close();
    db.close();
  }
  report({ name: `sync catch-up of ${CATCH_UP_EVENTS / 1000}k events (${kind === 'sqlite' ? 'SQLite' : 'Postgres'} hub)`, value: median(ours), baseline: median(rawMs), unit: 'ms', lowerIsBetter: true, budget: 1.5 });
  await raw.close();
  rawIo.close();
  await hub.close();
  if (kind === 'postgres') await dropPostgresSchema(PG, pgSchema);
}

async function rawPages(kind: 'sqlite' | 'postgres', hubDir: string, schema: string, teamId: string): Promise<RawPages> {
  if (kind === 'sqlite') {
    const db = new Database(path.join(hubDir, 'hub.sqlite'), { readonly: true });
    const page = db.prepare<[number], { seq: number; body: string }>('SELECT seq, body FROM events WHERE seq > ? ORDER BY seq LIMIT 500');
    return { page: async (after) => page.all(after), close: async () => void db.close() };
  }
  const client = new pg.Client({ connectionString: PG });
  await client.connect();
  return {
    page: async (after) =>
      (await client.query<{ seq: string; body: string }>(`SELECT seq, body FROM ${schema}.events WHERE team_id = $1 AND seq > $2 ORDER BY seq LIMIT 500`, [teamId, after])).rows.map((r) => ({
        seq: Number(r.seq),
        body: r.body,
      })),
    close: () => client.end(),
  };
}

/** Pushes one event; a refusal fails the run at once instead of leaving it waiting for a broadcast. */
async function pushOrThrow(writer: Socket, e: ConnEvent): Promise<void> {
  const ack = (await writer.emitWithAck('push', { events: [e] })) as Partial<PushAck> & { error?: { message: string } };
  if (ack.error) throw new Error(`the hub refused the push: ${ack.error.message}`);
  if (ack.rejected?.length) throw new Error(`the hub rejected an event: ${ack.rejected[0]!.code}: ${ack.rejected[0]!.message}`);
}

interface FanOut {
  perSecond: number;
  p99Ms: number;
}

/** Waits until every client has seen `n` messages; returns deliveries/s and p99 latency. */
async function measureFanOut(clients: Socket[], event: string, send: (i: number, sentAt: number) => Promise<void>, stampOf: (msg: unknown) => number, messages = FAN_OUT_MESSAGES): Promise<FanOut> {
  const latencies: number[] = [];
  let delivered = 0;
  const expected = clients.length * messages;
  const done = new Promise<void>((resolve) => {
    for (const c of clients)
      c.on(event, (msg: unknown) => {
        latencies.push(performance.now() - stampOf(msg));
        delivered += 1;
        if (delivered === expected) resolve();
      });
  });
  const started = performance.now();
  for (let i = 0; i < messages; i++) await send(i, performance.now());
  await done;
  const secs = (performance.now() - started) / 1000;
  for (const c of clients) c.removeAllListeners(event);
  return { perSecond: expected / secs, p99Ms: p99(latencies) };
}

async function fanOut(): Promise<void> {
  const store = openSqliteStore(path.join(work, 'fan-hub'));
  const hub = await createHub({ store });
  // The writer's invite name is the events' author name: the hub refuses events signed by anyone else.
  const tokens = await Promise.all(Array.from({ length: FAN_OUT_CLIENTS + 1 }, (_, i) => store.invite('fan', i === 0 ? 'Bench' : `m${i}`, 'member')));
  const listeners = await Promise.all(tokens.slice(1).map((t) => connectClient(hub.url, t.token)));
  await Promise.all(listeners.map((s) => s.emitWithAck('subscribe', {})));
  const writer = await connectClient(hub.url, tokens[0]!.token);
  const incident = newId();
  await pushOrThrow(writer, note(incident, 0));
  // Send times are kept beside the messages, keyed by event id, so payloads are identical.
  const sentAt = new Map<string, number>();
  const ourSend = async (i: number, at: number) => {
    const e = note(incident, i + 1);
    sentAt.set(e.id, at);
    await pushOrThrow(writer, e);
  };
  const ourStamp = (msg: unknown) => sentAt.get(((msg as EventsBroadcast).events[0]!.event as { id: string }).id)!;
  // Warm both paths up first (JIT, socket buffers), so neither pays for it in the measured run.
  await measureFanOut(listeners, 'events', ourSend, ourStamp, FAN_OUT_WARM_UP);
  const ours = await measureFanOut(listeners, 'events', ourSend, ourStamp);

  // Raw baseline: the same payload sent to a plain socket.io server that broadcasts it to the room.
  const rawServer = http.createServer();
  const rawIo = new Server(rawServer);
  rawIo.on('connection', (s) => {
    void s.join('room');
    s.on('send', (msg: unknown, ack: () => void) => {
      rawIo.to('room').emit('events', msg);
      ack();
    });
  });
  await new Promise<void>((r) => rawServer.listen(0, '127.0.0.1', r));
  const rawUrl = `http://127.0.0.1:${(rawServer.address() as AddressInfo).port}`;
  const rawListeners = await Promise.all(Array.from({ length: FAN_OUT_CLIENTS }, () => connectClient(rawUrl)));
  const rawWriter = await connectClient(rawUrl);
  const rawSent = new Map<string, number>();
  const rawSend = async (i: number, at: number) => {
    const e = note(incident, i + 1);
    rawSent.set(e.id, at);
    await rawWriter.emitWithAck('send', { from: i + 1, to: i + 1, events: [{ seq: i + 1, event: e }] });
  };
  const rawStamp = (msg: unknown) => rawSent.get(((msg as EventsBroadcast).events[0]!.event as { id: string }).id)!;
  await measureFanOut(rawListeners, 'events', rawSend, rawStamp, FAN_OUT_WARM_UP);
  const raw = await measureFanOut(rawListeners, 'events', rawSend, rawStamp);
  report({
    name: `hub fan-out to ${FAN_OUT_CLIENTS} clients`,
    value: ours.perSecond,
    baseline: raw.perSecond,
    unit: 'deliveries/s',
    lowerIsBetter: false,
    budget: 0.8,
    extra: { p99_ms: Number(ours.p99Ms.toFixed(1)), raw_p99_ms: Number(raw.p99Ms.toFixed(1)) },
  });
  for (const s of [...listeners, writer, ...rawListeners, rawWriter]) s.close();
  rawIo.close();
  await hub.close();
}

try {
  await catchUp('sqlite');
  await catchUp('postgres');
  await fanOut();
} finally {
  rmSync(work, { recursive: true, force: true });
}
