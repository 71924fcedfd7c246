/**
 * Cached bm25 ranks per query phrase, so search as you type answers common words over a large
 * library within a frame.
 *
 * Why it is needed: FTS5 must score every row a query matches before it can rank them, about a
 * microsecond a row, so a word found in all 10,000 runbooks costs 10–20 ms a keystroke.
 *
 * Why it is exact: FTS5's bm25 is a sum over the query's phrases, and each phrase's term depends
 * only on that phrase and the row (the phrase's idf over the whole table, the row's length, the
 * average length), never on the other phrases. A query of phrases p0 p1 … (FTS5's implicit AND)
 * therefore ranks a row at rank(p0) + rank(p1) + …, the single-phrase ranks added in phrase order,
 * which is the same floating-point sum FTS5 does. test/runbooks/phrase-ranks.test.ts checks this
 * bit for bit against FTS5 on random libraries and queries.
 *
 * What it costs: every rank depends on the whole index (idf, average length), so any change to the
 * index drops the cache. Phrases that proved expensive are remembered and rebuilt in the
 * background, one per event-loop turn, so a request never waits for more than one rebuild.
 */

/** One phrase's rank for every row it matches, in ascending rowid order. */
export interface PhraseRanks {
  ids: Float64Array;
  ranks: Float64Array;
}

export interface RankedRow {
  id: number;
  rank: number;
}

export interface PhraseRankCacheOptions {
  /** Phrases kept at once; each costs 16 bytes per matching row. */
  maxEntries?: number;
  /** Building failed: background building stops until the next slow search or change. */
  onError?: (err: unknown) => void;
}

export class PhraseRankCache {
  /** Built ranks, least recently used first (a Map keeps insertion order). */
  private readonly entries = new Map<string, PhraseRanks>();
  /** Phrases that were expensive to search, most recently used last: rebuilt after a change. */
  private readonly hot = new Set<string>();
  private readonly pending = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly maxEntries: number;
  private readonly onError: (err: unknown) => void;

  constructor(
    /** Every row the phrase matches with its bm25 rank, in rowid order; throws if the db is gone. */
    private readonly rankAll: (phrase: string) => PhraseRanks,
    opts: PhraseRankCacheOptions = {},
  ) {
    this.maxEntries = opts.maxEntries ?? 64;
    this.onError = opts.onError ?? (() => {});
  }

  /**
   * The best `limit` rows for the query made of `phrases`, best first (lowest rank, then lowest
   * rowid, as the library's SQL orders them), or null when a phrase has no ranks built yet.
   */
  top(phrases: readonly string[], limit: number): RankedRow[] | null {
    const lists: PhraseRanks[] = [];
    for (const p of phrases) {
      const e = this.entries.get(p);
      if (!e) return null;
      lists.push(e);
    }
    for (const p of phrases) this.touch(p);
    return topK(lists, limit);
  }

  /** Remembers phrases whose search was slow and builds their ranks soon, not during this request. */
  noteSlow(phrases: readonly string[]): void {
    for (const p of phrases) {
      this.hot.delete(p);
      this.hot.add(p);
      if (!this.entries.has(p)) this.pending.add(p);
    }
    while (this.hot.size > this.maxEntries) {
      const oldest = this.hot.values().next().value as string;
      this.hot.delete(oldest);
      this.pending.delete(oldest); // no longer worth a build that would only push others out
    }
    this.schedule();
  }

  /** The index changed: every rank is stale. The hot phrases are rebuilt in the background. */
  invalidate(): void {
    this.entries.clear();
    this.pending.clear();
    // Most recently used first, so what the user is typing now is ready soonest.
    for (const p of [...this.hot].reverse()) this.pending.add(p);
    this.schedule();
  }

  /** Builds everything pending now (benchmarks, tests, and hosts with idle time to spare). */
  flush(): void {
    while (this.pending.size > 0) if (!this.buildOne()) break;
  }

  get size(): number {
    return this.entries.size;
  }

  private schedule(): void {
    if (this.timer || this.pending.size === 0) return;
    // unref: a one-shot CLI search exits without waiting for the cache it will never use.
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.buildOne()) this.schedule();
    }, 0);
    this.timer.unref?.();
  }

  /** Builds the next pending phrase; false when building failed (the database was closed). */
  private buildOne(): boolean {
    const next = this.pending.values().next();
    if (next.done) return false;
    const phrase = next.value;
    this.pending.delete(phrase);
    try {
      this.entries.set(phrase, this.rankAll(phrase));
    } catch (err) {
      this.pending.clear();
      this.onError(err);
      return false;
    }
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    return true;
  }

  private touch(phrase: string): void {
    const e = this.entries.get(phrase);
    if (!e) return;
    this.entries.delete(phrase);
    this.entries.set(phrase, e);
  }
}

/**
 * Merges rowid-sorted lists: a row is a match when every list has it, and its rank is the sum of
 * the lists' ranks in list order. The shortest list drives; the others only move forward, so the
 * cost is linear in the lists' lengths, and the best `limit` rows are kept by insertion into a
 * small sorted array.
 */
export function topK(lists: readonly PhraseRanks[], limit: number): RankedRow[] {
  if (lists.length === 0 || limit <= 0) return [];
  let driver = 0;
  for (let i = 1; i < lists.length; i++) if ((lists[i] as PhraseRanks).ids.length < (lists[driver] as PhraseRanks).ids.length) driver = i;
  const d = lists[driver] as PhraseRanks;
  const cursor = new Int32Array(lists.length);
  const bestIds: number[] = [];
  const bestRanks: number[] = [];
  rows: for (let r = 0; r < d.ids.length; r++) {
    const id = d.ids[r] as number;
    let rank = 0;
    for (let i = 0; i < lists.length; i++) {
      const l = lists[i] as PhraseRanks;
      let c = cursor[i] as number;
      while (c < l.ids.length && (l.ids[c] as number) < id) c++;
      cursor[i] = c;
      if (c === l.ids.length) break rows; // this list has no more rows: nothing further can match
      if (l.ids[c] !== id) continue rows;
      // Start from the first phrase's rank itself (not 0 + it) and add in phrase order, as FTS5 does.
      rank = i === 0 ? (l.ranks[c] as number) : rank + (l.ranks[c] as number);
    }
    // Ties go to the lower rowid, which came first; so a new row must be strictly better.
    if (bestIds.length === limit && rank >= (bestRanks[limit - 1] as number)) continue;
    let at = bestIds.length === limit ? limit - 1 : bestIds.length;
    while (at > 0 && (bestRanks[at - 1] as number) > rank) {
      bestRanks[at] = bestRanks[at - 1] as number;
      bestIds[at] = bestIds[at - 1] as number;
      at--;
    }
    bestRanks[at] = rank;
    bestIds[at] = id;
  }
  return bestIds.map((id, i) => ({ id, rank: bestRanks[i] as number }));
}
