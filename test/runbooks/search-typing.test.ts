import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BM25_WEIGHTS, RunbookLibrary } from '../../main/core/store/runbook-library.js';
import { HIT_END, HIT_START, snippetSegments } from '../../shared/runbooks/results.js';
import { toFtsQuery } from '../../shared/runbooks/search-query.js';
import { runbookText, tempLibrary } from './fixtures.js';

/*
 * The library view's search, a keystroke at a time, the first time each phrase is searched (a
 * library that never caches ranks): the runbooks FTS5 ranks best, in its order, each with the
 * snippet FTS5 makes for it; and the same answers once the phrases' ranks are cached.
 */

const WORDS = ['database', 'failover', 'replica', 'lag', 'restart', 'worker', 'pool', 'load', 'balancer', 'certificate', 'the', 'check', 'redis'];
let seed = 9;
const rand = () => {
  seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
const words = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(WORDS.length * rand() ** 2)]).join(' ');

let t: ReturnType<typeof tempLibrary>;
let firstTime: RunbookLibrary;
beforeAll(() => {
  t = tempLibrary();
  for (let i = 0; i < 200; i++) t.lib.put(`runbook-${i}`, runbookText({ title: words(3), services: '[api]', tags: `[${words(1)}]` }, `${words(30)}\n\n- [ ] ${words(5)}\n`), 'tester');
  firstTime = new RunbookLibrary(t.db, undefined, Number.POSITIVE_INFINITY);
});
afterAll(() => t.close());

describe('runbook search as you type, first time', () => {
  it('gives what FTS5 ranks best at every keystroke, in its order, with its snippets', () => {
    const ranked = t.db.prepare<[string, string, string, number], { name: string; rank: number; snippet: string }>(
      `SELECT r.name, f.rank, snippet(runbook_fts, -1, ?, ?, '…', 16) AS snippet FROM runbook_fts f JOIN runbooks r ON r.id = f.rowid
       WHERE runbook_fts MATCH ? AND f.rank MATCH 'bm25(${BM25_WEIGHTS})' ORDER BY f.rank, f.rowid LIMIT ?`,
    );
    let compared = 0;
    for (const q of ['database failover', 'replica lag', '"load balancer"', 'restart worker pool', 'redis', 'check the']) {
      for (let i = 1; i <= q.length; i++) {
        const k = q.slice(0, i);
        let fts: string;
        try {
          fts = toFtsQuery(k);
        } catch {
          continue; // a lone quote: nothing to search yet
        }
        const want = ranked.all(HIT_START, HIT_END, fts, 50);
        const got = firstTime.search(k, { limit: 50 });
        expect(got.map((h) => h.name), k).toEqual(want.map((w) => w.name));
        expect(got.map((h) => h.rank), k).toEqual(want.map((w) => w.rank));
        expect(got.map((h) => h.snippet), k).toEqual(want.map((w) => snippetSegments(w.snippet)));
        compared += got.length;
      }
    }
    expect(compared).toBeGreaterThan(500);
  });

  it('gives the same from cached ranks, snippets included, once the phrases are cached', () => {
    const cached = new RunbookLibrary(t.db, undefined, 0); // caches every phrase it searches
    for (const q of ['database failover', '"load balancer"', 'redis', 'check the replica']) {
      cached.search(q, { limit: 50 });
      cached.warmSearch();
      expect(cached.search(q, { limit: 50 }), q).toEqual(firstTime.search(q, { limit: 50 }));
    }
    expect(cached.cachedPhrases).toBeGreaterThan(3);
  });
});
