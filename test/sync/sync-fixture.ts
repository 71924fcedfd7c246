import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TimelineItem } from '../../shared/domain/fold.js';
import { SyncSupervisor, type SyncSupervisorOptions } from '../../main/core/sync/supervisor.js';
import { openCore, type Core } from '../../main/core/open.js';
import { SyncEngine, type SyncEngineOptions } from '../../main/core/sync/engine.js';
import { readCursor } from '../../main/core/sync/cursor.js';
import { pendingCount } from '../../main/core/sync/outbox.js';
import { saveConnection } from '../../main/core/sync/connection.js';
import { createHub, type Hub } from '../../server/hub/hub.js';
import { openSqliteStore } from '../../server/store/sqlite.js';
import type { HubStore } from '../../server/store/store.js';

/** One teammate: a real core in its own temp data dir, and (while online) a sync engine. */
export interface Teammate {
  name: string;
  core: Core;
  engine: SyncEngine | null;
  online(): void;
  offline(): Promise<void>;
}

/**
 * A cockpit connected to the hub as `conn connect` leaves it (the hub URL saved, so a local
 * redaction holds its words until the hub accepts it), syncing while online().
 */
export function teammate(name: string, url: () => string, token: string, engineOpts: Partial<SyncEngineOptions> = {}): Teammate {
  const dataDir = mkdtempSync(path.join(tmpdir(), `conn-${name.toLowerCase()}-`));
  const core = openCore({ dataDir });
  core.profile.set({ name });
  saveConnection(core, { url: url(), token });
  const t: Teammate = {
    name,
    core,
    engine: null,
    online() {
      if (t.engine) return;
      t.engine = new SyncEngine(core, { url: url(), token, reconnectDelayMs: 50, reconnectDelayMaxMs: 400, requestTimeoutMs: 3000, ...engineOpts });
      t.engine.start();
    },
    async offline() {
      const e = t.engine;
      t.engine = null;
      await e?.stop();
    },
  };
  return t;
}

/** Every row of every incident, through the same keyset window the UI reads. */
export function fullTimeline(core: Core): Record<string, TimelineItem[]> {
  const out: Record<string, TimelineItem[]> = {};
  const ids = core.db.prepare<[], { id: string }>('SELECT id FROM incidents ORDER BY id').all();
  for (const { id } of ids) {
    // The first window is the newest rows; walk back from its oldest until there are none before.
    let w = core.timeline({ incidentId: id, limit: 200 });
    const rows: TimelineItem[] = [...w.items];
    while (w.hasBefore && rows[0]) {
      w = core.timeline({ incidentId: id, limit: 200, before: { hlc: rows[0].hlc, id: rows[0].id } });
      rows.unshift(...w.items);
    }
    out[id] = rows;
  }
  return out;
}

/** Every incident's projected state, as `conn show` and the cockpit read it. */
export function allStates(core: Core): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const ids = core.db.prepare<[], { id: string }>('SELECT id FROM incidents ORDER BY id').all();
  for (const { id } of ids) out[id] = core.events.stateOf(id);
  return out;
}

/** Waits until every teammate has an empty outbox and its cursor at the hub's head. */
export async function settled(team: Teammate[], head: () => Promise<number>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const h = await head();
    const done = team.every((t) => pendingCount(t.core.db) === 0 && readCursor(t.core.db) === h);
    if (done && (await head()) === h) return;
    if (Date.now() > deadline) {
      const detail = team.map((t) => `${t.name}: pending ${pendingCount(t.core.db)}, cursor ${readCursor(t.core.db)}, ${JSON.stringify(t.engine?.status() ?? 'offline')}`);
      throw new Error(`not settled after ${timeoutMs} ms (hub head ${h}):\n${detail.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Polls `fn` every 25 ms until `ok` holds; fails naming the last value it saw. */
export async function until<T>(fn: () => T, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`condition not met in ${ms} ms; last value ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Cockpits over real SQLite files in temp dirs, each with its profile name set (the hub checks
 * it against the invite). `dispose` closes them all and removes their dirs.
 */
export interface CockpitFactory {
  cockpit(name: string): Core;
  /** A long-running cockpit: the core opened with its SyncSupervisor as its sync, as compose.ts does. */
  supervised(name: string, opts?: SyncSupervisorOptions): { core: Core; sup: SyncSupervisor };
  tempDir(): string;
  dispose(): Promise<void>;
}

export function cockpits(prefix: string): CockpitFactory {
  const cores: Core[] = [];
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), `conn-${prefix}-`));
    dirs.push(dir);
    return dir;
  };
  return {
    cockpit(name) {
      const core = openCore({ dataDir: tempDir() });
      core.profile.set({ name });
      cores.push(core);
      return core;
    },
    supervised(name, opts = {}) {
      let sup: SyncSupervisor | undefined;
      const core = openCore({ dataDir: tempDir(), sync: (c) => (sup = new SyncSupervisor(c, opts)) });
      core.profile.set({ name });
      cores.push(core);
      return { core, sup: sup! };
    },
    tempDir,
    async dispose() {
      for (const c of cores) await c.close();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
  };
}

/*
 * The seeded harnesses (convergence.test.ts, hostile-convergence.test.ts) share these: the seed
 * list, the random source and a hub that can be restarted on its port.
 */

/**
 * The seeds a harness runs: its fixed CI seeds (or CONN_FUZZ_ONLY, a comma list, to replay
 * some), then CONN_FUZZ_SEEDS more from CONN_FUZZ_SEED_START (`npm run fuzz` sets both).
 */
export function fuzzSeeds(fixed: readonly number[]): number[] {
  const only = process.env['CONN_FUZZ_ONLY'];
  const base = only ? only.split(',').map(Number) : [...fixed];
  const extra = Number(process.env['CONN_FUZZ_SEEDS'] ?? 0);
  const firstExtra = Number(process.env['CONN_FUZZ_SEED_START'] ?? 1000);
  return [...base, ...Array.from({ length: extra }, (_, i) => firstExtra + i)];
}

/** Steps per schedule: CONN_FUZZ_STEPS, or the harness's default. */
export function fuzzSteps(fallback: number): number {
  return Number(process.env['CONN_FUZZ_STEPS'] ?? fallback);
}

/** mulberry32: small, seedable, good enough to pick actions. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A real hub over a SQLite store in a temp dir, restartable on the same port (cockpits reconnect). */
export interface FuzzHub {
  readonly store: HubStore;
  readonly hub: Hub;
  readonly dir: string;
  url(): string;
  restart(): Promise<void>;
  /** Closes the hub; the dir is removed by `rmSync` of the caller's cleanup. */
  close(): Promise<void>;
}

export async function fuzzHub(): Promise<FuzzHub> {
  const dir = mkdtempSync(path.join(tmpdir(), 'conn-fuzz-hub-'));
  let store = openSqliteStore(dir);
  let hub = await createHub({ store, revocationCheckMs: 60_000 });
  const port = hub.port;
  return {
    get store() {
      return store;
    },
    get hub() {
      return hub;
    },
    dir,
    url: () => `http://127.0.0.1:${port}`,
    async restart() {
      await hub.close();
      store = openSqliteStore(dir);
      hub = await createHub({ store, port, revocationCheckMs: 60_000 });
    },
    close: () => hub.close(),
  };
}

/** Teammates syncing live (each to its own hub URL, if several nodes), resolved once every engine is online. */
export async function onlineTeam(members: Array<{ name: string; url: () => string; token: string }>): Promise<{ team: Teammate[]; close(): Promise<void> }> {
  const team = members.map((m) => teammate(m.name, m.url, m.token));
  for (const t of team) t.online();
  await until(() => team.every((t) => t.engine?.status().state === 'online'), (ok) => ok);
  return {
    team,
    async close() {
      for (const t of team) await t.offline();
      for (const t of team) await t.core.close();
    },
  };
}
