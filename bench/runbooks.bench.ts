import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runbooks as migration } from '../main/core/db/migrations/002-runbooks.js';
import { BM25_WEIGHTS, RunbookLibrary } from '../main/core/store/runbook-library.js';
import { HIT_END, HIT_START } from '../shared/runbooks/results.js';
import { toFtsQuery } from '../shared/runbooks/search-query.js';
import { percentile, report } from './report.js';
import { syntheticLibrary } from './synthetic-runbooks.js';

/*
 * Runbook search over 10k synthetic runbooks, per query class, against the plain FTS5 query
 * (MATCH + bm25 + snippet with `ORDER BY rank LIMIT`, the same table, the same LIMIT). Two rows
 * per class: the library as typing meets it (the phrases' ranks cached, phrase-ranks.ts), and the
 * first search of a phrase after the index changed (no cache: SQLite's top-k over FTS5's bm25).
 * The library adds the query sanitiser, the head rows and the result objects. A frame is 16.7 ms.
 * Then re-indexing one edited runbook against a raw FTS delete + insert.
 */

const N = Number(process.env['RUNBOOK_BENCH_N'] ?? 10_000);
const RUNS = 200;
const LIMIT = 20;

const { VOCAB, COMMON, synthetic } = syntheticLibrary();

const dir = mkdtempSync(path.join(os.tmpdir(), 'conn-bench-runbooks-'));
const db = new Database(path.join(dir, 'conn.db'));
db.pragma('journal_mode = WAL');
migration.up(db);
const lib = new RunbookLibrary(db);
// The same library on the same connection, never caching: what the first search after a change costs.
const uncached = new RunbookLibrary(db, undefined, Number.POSITIVE_INFINITY);
const t0 = performance.now();
db.transaction(() => {
  for (let i = 0; i < N; i++) lib.put(`runbook-${i}`, synthetic(i), 'bench');
})();
console.log(`# built ${N} runbooks in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

// Queries per class, chosen from the vocabulary by how often they occur.
const docFreq = (term: string): number => (db.prepare('SELECT count(*) AS n FROM runbook_fts WHERE runbook_fts MATCH ?').get(`"${term}"`) as { n: number }).n;
const rare = VOCAB.slice(3000).filter((w) => docFreq(w) > 0).slice(0, 20);
const CLASSES: Record<string, string[]> = {
  'rare term': rare,
  'common term': COMMON.slice(0, 5),
  phrase: ['"replica lag"', '"check the replica"', '"restart"', '"the replica lag on"'],
  prefix: ['re*', 'dat*', 'lat*', 'cu*', 'rol*'],
};

const raw = db.prepare(
  `SELECT rowid, rank, snippet(runbook_fts, -1, ?, ?, '…', 16) AS snippet
   FROM runbook_fts WHERE runbook_fts MATCH ? AND rank MATCH 'bm25(${BM25_WEIGHTS})' ORDER BY rank LIMIT ?`,
);

function timings(fn: (q: string) => unknown, queries: string[]): number[] {
  for (const q of queries) fn(q); // warm the page cache and statement
  const t: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const q = queries[i % queries.length] as string;
    const s = performance.now();
    fn(q);
    t.push(performance.now() - s);
  }
  return t.sort((a, b) => a - b);
}

for (const [cls, queries] of Object.entries(CLASSES)) {
  // What typing leaves behind: the first search of each query notes its phrases, and the cache
  // builds them when the event loop is free; warmSearch does that now.
  for (const q of queries) lib.search(q, { limit: LIMIT });
  lib.warmSearch();
  // Interleave rounds so a noisy neighbour on the shared cores hurts every side alike.
  const ours: number[] = [];
  const first: number[] = [];
  const base: number[] = [];
  for (let round = 0; round < 3; round++) {
    base.push(...timings((q) => raw.all(HIT_START, HIT_END, toFtsQuery(q), LIMIT), queries));
    ours.push(...timings((q) => lib.search(q, { limit: LIMIT }), queries));
    first.push(...timings((q) => uncached.search(q, { limit: LIMIT }), queries));
  }
  for (const t of [ours, first, base]) t.sort((a, b) => a - b);
  const hits = lib.search(queries[0] as string, { limit: LIMIT }).length;
  const frame = (ms: number): string => (ms <= 1000 / 60 ? 'yes' : 'NO');
  report({ name: `runbook search p50, ${cls}`, value: percentile(ours, 50), baseline: percentile(base, 50), unit: 'ms', lowerIsBetter: true, budget: 1.5, extra: { hits, runbooks: N, 'within a frame': frame(percentile(ours, 50)) } });
  report({ name: `runbook search p95, ${cls}`, value: percentile(ours, 95), baseline: percentile(base, 95), unit: 'ms', lowerIsBetter: true, budget: 1.5, extra: { 'within a frame': frame(percentile(ours, 95)) } });
  report({ name: `runbook search p50, ${cls}, first after a change`, value: percentile(first, 50), baseline: percentile(base, 50), unit: 'ms', lowerIsBetter: true, budget: 1.5 });
  report({ name: `runbook search p95, ${cls}, first after a change`, value: percentile(first, 95), baseline: percentile(base, 95), unit: 'ms', lowerIsBetter: true, budget: 1.5 });
}
// Rebuilding every cached phrase after an edit happens in the background, one phrase a turn.
{
  lib.put('runbook-1', `${synthetic(1)}\nedited`, 'bench');
  const s = performance.now();
  lib.warmSearch();
  console.log(`# an edit drops the cached ranks; rebuilding all ${lib.cachedPhrases} phrases took ${(performance.now() - s).toFixed(0)} ms, done in the background one phrase per event-loop turn`);
}

// Re-index one edited runbook: the library's put (new version, head, FTS delete + insert in one
// transaction) against a raw FTS delete + insert of the same row.
const target = 'runbook-123';
const rowid = (db.prepare('SELECT id FROM runbooks WHERE name = ?').get(target) as { id: number }).id;
const ftsDelete = db.prepare('DELETE FROM runbook_fts WHERE rowid = ?');
const ftsInsert = db.prepare('INSERT INTO runbook_fts (rowid, name, title, services, tags, body) VALUES (?, ?, ?, ?, ?, ?)');
const rawReindex = db.transaction((body: string) => {
  ftsDelete.run(rowid);
  ftsInsert.run(rowid, target, 'Runbook 123', 'svc-123', 'x', body);
});
const base = synthetic(123);
const oursT: number[] = [];
const rawT: number[] = [];
for (let i = 0; i < 100; i++) {
  const edited = `${base}\nedit ${i}`;
  let s = performance.now();
  rawReindex(edited);
  rawT.push(performance.now() - s);
  s = performance.now();
  lib.put(target, `${edited} `, 'bench');
  oursT.push(performance.now() - s);
}
oursT.sort((a, b) => a - b);
rawT.sort((a, b) => a - b);
report({ name: 'runbook re-index one edited runbook, p50', value: percentile(oursT, 50), baseline: percentile(rawT, 50), unit: 'ms', lowerIsBetter: true });

db.close();
rmSync(dir, { recursive: true, force: true });
