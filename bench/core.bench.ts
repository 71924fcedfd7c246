/*
 * The core against raw better-sqlite3 doing the same I/O, in the same process. Each budget is a
 * ratio to that raw baseline, not a time, so it holds on a slow or loaded machine:
 *   (a) a local note commit vs a raw WAL single-row commit with the same PRAGMAs;
 *   (b) a 100-row window at the end of a 100k-event incident vs the raw keyset query;
 *   (c) ingest of 10k remote events vs raw batched inserts of the same rows.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ConnEvent } from '../shared/domain/events.js';
import { formatHlc } from '../shared/sync/hlc.js';
import { openCore } from '../main/core/open.js';
import { eventToParams, INSERT_EVENT_SQL } from '../main/core/store/event-rows.js';
import { initial } from '../main/core/db/migrations/001-initial.js';
import { report } from './report.js';

/**
 * Medians of `a` and `b` timed alternately, so a burst of load from a neighbour on this shared
 * machine lands on both sides instead of skewing the ratio.
 */
function pairedMedians(runs: number, a: () => void, b: () => void): [number, number] {
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    a();
    ta.push(performance.now() - t);
    t = performance.now();
    b();
    tb.push(performance.now() - t);
  }
  const median = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  return [median(ta), median(tb)];
}

const work = mkdtempSync(path.join(tmpdir(), 'conn-bench-core-'));
const dir = (name: string) => path.join(work, name);

/** A database with the core's PRAGMAs and schema, but none of its code. */
function rawDb(name: string): Database.Database {
  const db = new Database(path.join(work, `${name}.db`));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.pragma('secure_delete = ON');
  initial.up(db);
  return db;
}

function remoteNotes(incidentId: string, n: number, t0: number, declare: boolean): ConnEvent[] {
  const out: ConnEvent[] = [];
  const author = { id: 'p-bench', name: 'bench' };
  const idOf = (i: number) => `${incidentId.slice(0, 24)}${(i + 1).toString(16).padStart(12, '0')}`;
  if (declare) out.push({ id: idOf(-1), incidentId, hlc: formatHlc({ wall: t0, counter: 0 }), author, kind: 'incident.declared', payload: { title: 'Bench', severity: 3, services: [] } });
  for (let i = 0; i < n; i++) {
    out.push({ id: idOf(i), incidentId, hlc: formatHlc({ wall: t0 + 1 + Math.floor(i / 3), counter: i % 3 }), author, kind: 'note', payload: { text: `note ${i}: the checkout pods restart every few minutes under load` } });
  }
  return out;
}

function benchLocalCommit(): void {
  const core = openCore({ dataDir: dir('a') });
  const { id } = core.incidents.declare({ title: 'Bench', severity: 3 });
  const raw = rawDb('a-raw');
  const insert = raw.prepare('INSERT INTO settings (key, value) VALUES (?, ?)');
  let i = 0;
  // Warm both up, then interleave the runs so machine noise hits both alike.
  for (let w = 0; w < 20; w++) {
    core.events.appendLocal(id, 'note', { text: `warm ${w}` });
    insert.run(`w${w}`, '"x"');
  }
  const [value, baseline] = pairedMedians(
    300,
    () => void core.events.appendLocal(id, 'note', { text: `note ${i++} from the bench` }),
    () => void raw.transaction(() => insert.run(`k${i++}`, JSON.stringify({ text: `note ${i} from the bench` }))).immediate(),
  );
  report({ name: 'core.local-note-commit', value, baseline, unit: 'ms', lowerIsBetter: true, budget: 2 });
  raw.close();
  void core.close();
}

function benchWindow(): void {
  const core = openCore({ dataDir: dir('b') });
  const incidentId = '0190a5c4-0000-7000-8000-0000000000b1';
  const events = remoteNotes(incidentId, 100_000, Date.UTC(2026, 10, 28), true);
  for (let at = 0; at < events.length; at += 5000) core.events.ingest(events.slice(at, at + 5000));
  const end = events[events.length - 1]!;
  const cursor = { hlc: end.hlc, id: end.id };
  const raw = core.db.prepare(
    'SELECT id, incident_id, hlc, kind, author_id, author_name, text, pinned, edited, redacted, redacted_reason FROM events WHERE incident_id = ? AND shown = 1 AND (hlc, id) < (?, ?) ORDER BY hlc DESC, id DESC LIMIT 100',
  );
  let rows = 0;
  for (let w = 0; w < 50; w++) core.timeline({ incidentId, before: cursor, limit: 100 });
  const [value, baseline] = pairedMedians(
    500,
    () => void (rows = core.timeline({ incidentId, before: cursor, limit: 100 }).items.length),
    () => void raw.all(incidentId, cursor.hlc, cursor.id).reverse(),
  );
  report({ name: 'core.timeline-window-100-of-100k', value, baseline, unit: 'ms', lowerIsBetter: true, budget: 2, extra: { rows } });
  void core.close();
}

function benchIngest(): void {
  const incidentId = '0190a5c4-0000-7000-8000-0000000000c1';
  const events = remoteNotes(incidentId, 10_000, Date.UTC(2026, 10, 28), true);
  const runs = 5;
  const values: number[] = [];
  const baselines: number[] = [];
  for (let r = 0; r < runs; r++) {
    const core = openCore({ dataDir: dir(`c${r}`) });
    const t = performance.now();
    core.events.ingest(events);
    values.push(performance.now() - t);
    void core.close();

    baselines.push(rawInsert(`c-raw${r}`, events));
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  report({ name: 'core.ingest-10k', value: median(values), baseline: median(baselines), unit: 'ms', lowerIsBetter: true, budget: 2 });
}

/** Raw batched inserts of the same rows (an event row carries its timeline text) in one transaction. */
function rawInsert(name: string, events: ConnEvent[]): number {
  const raw = rawDb(name);
  const insert = raw.prepare(INSERT_EVENT_SQL);
  const now = Date.now();
  const t = performance.now();
  raw.transaction(() => {
    for (const e of events) insert.run(...eventToParams(e, false, now, (e.payload as { text?: string }).text ?? ''));
  }).immediate();
  const ms = performance.now() - t;
  raw.close();
  return ms;
}

try {
  benchLocalCommit();
  benchWindow();
  benchIngest();
} finally {
  rmSync(work, { recursive: true, force: true });
}
