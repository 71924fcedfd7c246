import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BM25_WEIGHTS, RunbookLibrary } from '../../main/core/store/runbook-library.js';
import { PhraseRankCache, topK, type PhraseRanks } from '../../main/core/store/phrase-ranks.js';
import { toFtsPhrases } from '../../shared/runbooks/search-query.js';
import { runbookText, tempLibrary } from './fixtures.js';

/*
 * The cached search must rank exactly as FTS5 does: same rows, same order, the same rank to the
 * last bit. Random libraries over a small vocabulary (so words repeat, phrases occur, and many
 * rows tie) and random queries of words, phrases and prefixes, compared with FTS5's own answer.
 */

const WORDS = ['db', 'dns', 'lag', 'replica', 'restart', 'primary', 'promote', 'cert', 'kafka', 'queue', 'pod', 'node'];
const word = fc.constantFrom(...WORDS);
const text = fc.array(word, { minLength: 1, maxLength: 40 }).map((w) => w.join(' '));
const distinct = fc.record({ title: fc.array(word, { minLength: 1, maxLength: 4 }).map((w) => w.join(' ')), tags: fc.subarray(WORDS, { maxLength: 2 }), body: text });
// Short look-alike runbooks tie exactly, which tests the tie order at the LIMIT boundary.
const lookalike = fc.record({ title: fc.constant('db'), tags: fc.constant([]), body: fc.constantFrom('restart db', 'db lag', 'promote replica') });
const runbook = fc.oneof(distinct, lookalike);
const phrase = fc.oneof(
  word,
  fc.array(word, { minLength: 2, maxLength: 3 }).map((w) => `"${w.join(' ')}"`),
  word.map((w) => `${w.slice(0, 1 + (w.length % 3))}*`),
);
const query = fc.array(phrase, { minLength: 1, maxLength: 3 }).map((p) => p.join(' '));

let cleanup: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanup) c();
  cleanup = [];
});

function library(): { lib: RunbookLibrary; db: Database.Database } {
  const t = tempLibrary();
  cleanup.push(t.close);
  // slowSearchMs 0: every search caches its phrases, so the second search takes the cached path.
  return { lib: new RunbookLibrary(t.db, () => new Date('2026-11-28T12:00:00Z'), 0), db: t.db };
}

describe('ranks from cached phrases', () => {
  it('equal FTS5 bm25 for every query, bit for bit, with the same order and ties', () => {
    fc.assert(
      fc.property(fc.array(runbook, { minLength: 1, maxLength: 30 }), fc.array(query, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 12 }), (books, queries, limit) => {
        const { lib, db } = library();
        books.forEach((b, i) => lib.put(`rb-${i}`, runbookText({ title: b.title, tags: `[${b.tags.join(', ')}]` }, b.body), 'ana'));
        const fts5 = db.prepare<[string, number], { id: number; rank: number }>(
          `SELECT rowid AS id, bm25(runbook_fts, ${BM25_WEIGHTS}) AS rank FROM runbook_fts WHERE runbook_fts MATCH ? ORDER BY rank, rowid LIMIT ?`,
        );
        const single = db.prepare<[string], [number, number]>(`SELECT rowid, bm25(runbook_fts, ${BM25_WEIGHTS}) FROM runbook_fts WHERE runbook_fts MATCH ? ORDER BY rowid`).raw();
        const cache = new PhraseRankCache((p): PhraseRanks => {
          const rows = single.all(p);
          return { ids: Float64Array.from(rows, (r) => r[0]), ranks: Float64Array.from(rows, (r) => r[1]) };
        });
        for (const q of queries) {
          const phrases = toFtsPhrases(q);
          cache.noteSlow(phrases);
          cache.flush();
          const expected = fts5.all(phrases.join(' '), limit);
          expect(cache.top(phrases, limit), q).toEqual(expected);
          // And through the library: the first search fills the cache, the second reads it.
          const first = lib.search(q, { limit });
          lib.warmSearch();
          const second = lib.search(q, { limit });
          expect(second.map((h) => [h.name, h.rank, h.snippet])).toEqual(first.map((h) => [h.name, h.rank, h.snippet]));
          expect(second.map((h) => h.rank)).toEqual(expected.map((r) => r.rank));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('answers from the cache once built, and drops it when the index changes', () => {
    const { lib } = library();
    for (let i = 0; i < 20; i++) lib.put(`rb-${i}`, runbookText({ title: `Runbook ${i}` }, 'restart the replica'), 'ana');
    expect(lib.cachedPhrases).toBe(0);
    lib.search('replica');
    lib.warmSearch();
    expect(lib.cachedPhrases).toBe(1);
    expect(lib.search('replica', { limit: 3 })).toHaveLength(3);

    // An edit changes every rank (idf and average length): the answer must follow it at once.
    lib.put('rb-7', runbookText({ title: 'Replica promotion' }, 'replica replica replica'), 'ana');
    expect(lib.cachedPhrases).toBe(0);
    expect(lib.search('replica', { limit: 1 })[0]?.name).toBe('rb-7');
    expect(lib.search('restart', { limit: 50 }).map((h) => h.name)).not.toContain('rb-7');
  });

  it('notices when another process changed the index, and never answers from stale ranks', () => {
    const { lib, db } = library();
    for (let i = 0; i < 10; i++) lib.put(`rb-${i}`, runbookText({ title: `Runbook ${i}` }, 'restart the replica'), 'ana');
    lib.search('replica');
    lib.warmSearch();
    const other = new RunbookLibrary(new Database(db.name));
    cleanup.unshift(() => (other as unknown as { db: Database.Database }).db.close());
    other.put('rb-3', runbookText({ title: 'Replica lag' }, 'replica replica lag'), 'ben');
    expect(lib.cachedPhrases).toBe(1); // it cannot know yet; the next search checks
    const hits = lib.search('replica', { limit: 1 });
    expect(lib.cachedPhrases).toBe(0);
    expect(hits[0]?.name).toBe('rb-3');
    const fresh = other.search('replica', { limit: 10 });
    expect(lib.search('replica', { limit: 10 }).map((h) => [h.name, h.rank])).toEqual(fresh.map((h) => [h.name, h.rank]));
  });
});

describe('cached ranks and the index generation', () => {
  const book = (i: number, body = 'restart the replica') => runbookText({ title: `Runbook ${i}` }, body);

  it('notices another process on a database written before generations existed', () => {
    const { lib, db } = library();
    for (let i = 0; i < 10; i++) lib.put(`rb-${i}`, book(i), 'ana');
    db.prepare("DELETE FROM runbook_settings WHERE key = 'index_generation'").run(); // as an older Conn left it
    const app = new RunbookLibrary(db, () => new Date('2026-11-28T12:00:00Z'), 0);
    app.search('replica');
    app.warmSearch();
    expect(app.cachedPhrases).toBe(1);
    const cli = new RunbookLibrary(new Database(db.name));
    cleanup.unshift(() => (cli as unknown as { db: Database.Database }).db.close());
    cli.put('rb-3', book(3, 'replica replica lag'), 'ben');
    expect(app.search('replica', { limit: 3 }).map((h) => [h.name, h.rank])).toEqual(cli.search('replica', { limit: 3 }).map((h) => [h.name, h.rank]));
    expect(app.search('replica', { limit: 1 })[0]?.name).toBe('rb-3');
  });

  it('keeps what the background rebuilt after its own edit, instead of dropping it again', async () => {
    const { lib } = library();
    for (let i = 0; i < 10; i++) lib.put(`rb-${i}`, book(i), 'ana');
    lib.search('replica');
    lib.warmSearch();
    lib.put('rb-1', book(1, 'restart the replica twice'), 'ana');
    expect(lib.cachedPhrases).toBe(0);
    await new Promise((r) => setTimeout(r, 20)); // the background rebuild
    expect(lib.cachedPhrases).toBe(1);
    lib.search('replica');
    expect(lib.cachedPhrases).toBe(1);
  });

  it('forgets ranks of an edit whose transaction the caller rolled back', () => {
    const { lib, db } = library();
    for (let i = 0; i < 10; i++) lib.put(`rb-${i}`, book(i), 'ana');
    lib.search('replica');
    lib.warmSearch();
    expect(() =>
      db.transaction(() => {
        lib.put('rb-4', book(4, 'replica replica replica'), 'ana');
        expect(lib.search('replica', { limit: 1 })[0]?.name).toBe('rb-4'); // seen inside the transaction
        lib.warmSearch(); // ranks built from the uncommitted edit
        throw new Error('the rest of the pull failed');
      })(),
    ).toThrow('the rest of the pull failed');
    const plain = new RunbookLibrary(db, undefined, Number.POSITIVE_INFINITY);
    expect(lib.search('replica', { limit: 3 }).map((h) => [h.name, h.rank])).toEqual(plain.search('replica', { limit: 3 }).map((h) => [h.name, h.rank]));
    expect(lib.search('replica', { limit: 1 })[0]?.name).not.toBe('rb-4');
  });
});

describe('prewarmSearch', () => {
  const until = async (ok: () => boolean): Promise<void> => {
    for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
  };

  it('caches the most widespread words of a large library, and the first search for one uses them', async () => {
    const t = tempLibrary();
    cleanup.push(t.close);
    const lib = new RunbookLibrary(t.db, () => new Date('2026-11-28T12:00:00Z'), Number.POSITIVE_INFINITY);
    t.db.transaction(() => {
      for (let i = 0; i < 1000; i++) lib.put(`rb-${i}`, runbookText({ title: `Runbook ${i}` }, `restart the replica ${i % 7 === 0 ? 'kafka' : ''}`), 'ana');
    })();
    lib.prewarmSearch();
    await until(() => lib.cachedPhrases >= 4);
    expect(lib.cachedPhrases).toBeGreaterThanOrEqual(4); // runbook, restart, the, replica: in every one
    const top = vi.spyOn(PhraseRankCache.prototype, 'top');
    const hits = lib.search('Replica', { limit: 5 }); // capitals fold to the same cached phrase
    expect(top.mock.results[0]?.value).not.toBeNull();
    top.mockRestore();
    const plain = new RunbookLibrary(t.db, undefined, Number.POSITIVE_INFINITY);
    expect(hits.map((h) => [h.name, h.rank])).toEqual(plain.search('replica', { limit: 5 }).map((h) => [h.name, h.rank]));
    expect(lib.search('kafka', { limit: 1000 })).toHaveLength(143); // a rarer word is searched directly
  });

  it('caches the 2- and 3-letter prefixes of those words too, so typing `re*` is served from the cache, with the same ranks', async () => {
    const t = tempLibrary();
    cleanup.push(t.close);
    const lib = new RunbookLibrary(t.db, () => new Date('2026-11-28T12:00:00Z'), Number.POSITIVE_INFINITY);
    t.db.transaction(() => {
      for (let i = 0; i < 1000; i++) lib.put(`rb-${i}`, runbookText({ title: `Runbook ${i}` }, `restart the replica ${i % 3 === 0 ? 'replay' : 'rest'}`), 'ana');
    })();
    lib.prewarmSearch();
    await until(() => lib.cachedPhrases >= 8);
    lib.warmSearch();
    const top = vi.spyOn(PhraseRankCache.prototype, 'top');
    const hits = lib.search('rep*', { limit: 5 });
    expect(top.mock.results[0]?.value).not.toBeNull();
    top.mockRestore();
    const plain = new RunbookLibrary(t.db, undefined, Number.POSITIVE_INFINITY);
    expect(hits.map((h) => [h.name, h.rank])).toEqual(plain.search('rep*', { limit: 5 }).map((h) => [h.name, h.rank]));
  });

  it('leaves a small library alone: every search there is already fast', async () => {
    const { lib } = library();
    lib.put('rb-1', runbookText({ title: 'One' }, 'restart the replica'), 'ana');
    lib.prewarmSearch();
    await new Promise((r) => setTimeout(r, 50));
    expect(lib.cachedPhrases).toBe(0);
  });
});

describe('topK', () => {
  const list = (pairs: Array<[number, number]>): PhraseRanks => ({ ids: Float64Array.from(pairs, (p) => p[0]), ranks: Float64Array.from(pairs, (p) => p[1]) });

  it('keeps rows every list has, sums their ranks, and breaks ties by rowid', () => {
    const a = list([[1, -1], [2, -2], [4, -1], [9, -3]]);
    const b = list([[2, -1], [4, -2], [5, -9], [9, -0.5]]);
    expect(topK([a, b], 10)).toEqual([{ id: 9, rank: -3.5 }, { id: 2, rank: -3 }, { id: 4, rank: -3 }]);
    expect(topK([a, b], 2)).toEqual([{ id: 9, rank: -3.5 }, { id: 2, rank: -3 }]);
    expect(topK([list([[1, -1], [2, -1], [3, -1]])], 2)).toEqual([{ id: 1, rank: -1 }, { id: 2, rank: -1 }]);
    expect(topK([a, list([])], 5)).toEqual([]);
    expect(topK([], 5)).toEqual([]);
  });
});
