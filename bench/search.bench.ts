import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCore } from '../main/core/open.js';
import type { ConnEvent } from '../shared/domain/events.js';
import { newId } from '../shared/domain/ids.js';
import { scopeToken, searchPhrases } from '../shared/search/query.js';
import { formatHlc } from '../shared/sync/hlc.js';
import { percentile, report } from './report.js';
import { syntheticLibrary } from './synthetic-runbooks.js';

/*
 * Incident search (main/core/store/search-index.ts) over a cockpit holding 10,000 past incidents
 * (title, summary, services, and a few entries each) and one incident with 10,000 entries,
 * against the raw FTS5 query on the same index in the same run: "/" on the long incident
 * (issue 13's bar: under 200 ms), p50 and p95. The raw baseline is the MATCH alone; the core adds
 * the query sanitiser, snippets and result objects. Search as you type over every incident is
 * bench/search-typing.bench.ts, with realistic text.
 */

const INCIDENTS = Number(process.env['SEARCH_BENCH_INCIDENTS'] ?? 10_000);
const ENTRIES_EACH = 4;
const LONG_ENTRIES = Number(process.env['SEARCH_BENCH_ENTRIES'] ?? 10_000);

const { VOCAB, COMMON } = syntheticLibrary(7);
let seed = 7;
const rand = (): number => {
  seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
const word = (): string => (rand() < 0.1 ? (COMMON[Math.floor(rand() * COMMON.length)] as string) : (VOCAB[Math.floor(VOCAB.length * rand() ** 3)] as string));
const words = (n: number): string => Array.from({ length: n }, word).join(' ');

const dir = mkdtempSync(path.join(os.tmpdir(), 'conn-bench-search-'));
const core = openCore({ dataDir: dir });
const author = { id: 'bench', name: 'Bench' };
let wall = Date.UTC(2025, 0, 1);
const event = (incidentId: string, kind: ConnEvent['kind'], payload: unknown): ConnEvent =>
  ({ id: newId(), incidentId, hlc: formatHlc({ wall: (wall += 1000), counter: 0 }), author, kind, payload }) as ConnEvent;

const t0 = performance.now();
const batch: ConnEvent[] = [];
for (let i = 0; i < INCIDENTS; i++) {
  const id = newId();
  batch.push(event(id, 'incident.declared', { title: `${words(4)} ${i}`, severity: 2 + (i % 3), services: [`svc-${i % 200}`], summary: words(20) }));
  for (let e = 0; e < ENTRIES_EACH; e++) batch.push(event(id, e === ENTRIES_EACH - 1 ? 'minutes.written' : 'note', { text: words(e === ENTRIES_EACH - 1 ? 60 : 15) }));
  batch.push(event(id, 'status.changed', { status: 'resolved' }));
  if (batch.length >= 5000) core.events.ingest(batch.splice(0));
}
const longId = newId();
batch.push(event(longId, 'incident.declared', { title: 'A long night', severity: 1, services: ['svc-1'] }));
for (let e = 0; e < LONG_ENTRIES; e++) {
  batch.push(event(longId, 'note', { text: words(12) }));
  if (batch.length >= 5000) core.events.ingest(batch.splice(0));
}
core.events.ingest(batch.splice(0));
const docs = (core.db.prepare('SELECT count(*) AS n FROM search_docs').get() as { n: number }).n;
console.log(`# seeded ${INCIDENTS} incidents and one of ${LONG_ENTRIES} entries (${docs} search documents) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

function time(fn: () => unknown): number {
  const s = performance.now();
  fn();
  return performance.now() - s;
}

// "/" on the long incident: a rare word, a common word, two words, and prefixes as typed.
{
  const queries = [VOCAB[2000] as string, COMMON[0] as string, `${COMMON[1]} ${COMMON[2]}`, 'dat', VOCAB[40] as string, `${VOCAB[3]} ${COMMON[4]}`, 're'];
  const raw = core.db.prepare('SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY rowid DESC LIMIT 50');
  const ours: number[] = [];
  const base: number[] = [];
  for (let round = 0; round < 20; round++) {
    for (const q of queries) {
      const match = `scope : "${scopeToken(longId)}" AND body : (${searchPhrases(q, { asYouType: true }).join(' ')})`;
      base.push(time(() => raw.all(match)));
      ours.push(time(() => core.search.timeline(longId, q, { asYouType: true })));
    }
  }
  ours.sort((a, b) => a - b);
  base.sort((a, b) => a - b);
  const hits = core.search.timeline(longId, COMMON[0] as string).total;
  for (const q of [50, 95]) {
    report({
      name: `timeline search ("/") p${q}, ${LONG_ENTRIES} entries`,
      value: percentile(ours, q),
      baseline: percentile(base, q),
      unit: 'ms',
      lowerIsBetter: true,
      extra: { ...(q === 50 ? { 'hits for a common word': hits } : {}), 'under 200 ms': percentile(ours, q) < 200 ? 'yes' : 'NO' },
    });
  }
}

await core.close();
rmSync(dir, { recursive: true, force: true });
