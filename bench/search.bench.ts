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
 * against the raw FTS5 query on the same index in the same run:
 * - "/" on the long incident (issue 13's bar: under 200 ms), p50 and p95;
 * - search as you type over every incident, one keystroke at a time (issue 12's bar: within a
 *   frame, 16.7 ms, at p95).
 * The raw baselines are the MATCH alone (with bm25 and LIMIT for the ranked search); the core
 * adds the query sanitiser, grouping by incident, the filters, snippets and result objects.
 */

const INCIDENTS = Number(process.env['SEARCH_BENCH_INCIDENTS'] ?? 10_000);
const ENTRIES_EACH = 4;
const LONG_ENTRIES = Number(process.env['SEARCH_BENCH_ENTRIES'] ?? 10_000);
const FRAME_MS = 1000 / 60;

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

// Search as you type over every incident: each prefix of each query, as typed.
{
  const typed = ['database failover', `${VOCAB[10]} ${VOCAB[11]}`, 'rollback', `"${COMMON[3]} ${COMMON[5]}"`, 'latency alert', VOCAB[700] as string, 'customer', 'svc-12', `${VOCAB[1]} deploy`];
  const raw = core.db.prepare('SELECT rowid, bm25(search_fts, 1.0, 0.0) AS rank FROM search_fts WHERE search_fts MATCH ? ORDER BY rank LIMIT 20');
  const ours: number[] = [];
  const base: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (const q of typed) {
      for (let i = 1; i <= q.length; i++) {
        const prefix = q.slice(0, i);
        let match: string;
        try {
          match = `body : (${searchPhrases(prefix, { asYouType: true }).join(' ')})`;
        } catch {
          continue; // nothing searchable typed yet (a lone quote)
        }
        base.push(time(() => raw.all(match)));
        ours.push(time(() => core.search.incidents(prefix, { asYouType: true })));
      }
    }
  }
  ours.sort((a, b) => a - b);
  base.sort((a, b) => a - b);
  for (const q of [50, 95]) {
    report({
      name: `incident search as you type p${q}, ${INCIDENTS} past incidents, ${docs} documents`,
      value: percentile(ours, q),
      baseline: percentile(base, q),
      unit: 'ms',
      lowerIsBetter: true,
      extra: { ...(q === 50 ? { keystrokes: ours.length } : {}), 'within a frame': percentile(ours, q) <= FRAME_MS ? 'yes' : 'NO' },
    });
  }
}

await core.close();
rmSync(dir, { recursive: true, force: true });
