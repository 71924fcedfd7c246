import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { ConnError } from '../../../shared/domain/errors.js';
import { newId } from '../../../shared/domain/ids.js';
import { refuseReservedRunbookName } from '../../../shared/runbooks/breakglass.js';
import { isStale, parseRunbook } from '../../../shared/runbooks/document.js';
import type { ImportOutcome, RunbookDetail, RunbookSummary, RunbookVersionInfo, SearchHit } from '../../../shared/runbooks/results.js';
import { HIT_END, HIT_START, snippetSegments } from '../../../shared/runbooks/results.js';
import { describeFtsError, toFtsPhrases } from '../../../shared/runbooks/search-query.js';
import { PhraseRankCache, type PhraseRanks, type RankedRow } from './phrase-ranks.js';

export const DEFAULT_STALE_DAYS = 90;
/** Column weights for bm25, in FTS column order: name, title, services, tags, body. */
export const BM25_WEIGHTS = '8.0, 10.0, 5.0, 5.0, 1.0';
/** A search slower than this remembers its phrases, so their ranks get cached (phrase-ranks.ts). */
const SLOW_SEARCH_MS = 2;
/** Below this many runbooks every search is a millisecond or two: nothing is worth warming. */
const PREWARM_MIN_RUNBOOKS = 1000;
/** How many of the most widespread words prewarmSearch caches, leaving room for typed phrases. */
const PREWARM_TERMS = 24;
/**
 * How many of those words' 2- and 3-letter prefixes (`re*`, `rep*`) it caches too. A prefix of a
 * widespread word matches nearly every runbook, so its first search scores them all (10–15 ms at
 * 10,000 runbooks): that was the 19 ms p95 of typing in the library view.
 */
const PREWARM_PREFIXES = 32;

interface HeadRow {
  id: number;
  uid: string;
  name: string;
  title: string;
  services: string;
  tags: string;
  owner: string | null;
  last_verified: string | null;
  version: number;
  hash: string;
  author: string;
  updated_at: string;
  step_count: number;
  hub_seq: number | null;
}

export interface PutResult {
  outcome: ImportOutcome;
  name: string;
  runbookId: string;
  version: number;
}

export interface SearchOptions {
  limit?: number;
  /** Pass the query to FTS5 as written (operators, NEAR, columns); syntax errors become a message. */
  raw?: boolean;
  staleDays?: number;
}

/**
 * One cache key for `"Database"` and `"database"`: FTS5's unicode61 tokenizer folds ASCII case,
 * so both are the same phrase. Only ASCII: other scripts' case folding differs from JavaScript's.
 */
function foldAscii(phrase: string): string {
  return phrase.replace(/[A-Z]+/g, (c) => c.toLowerCase());
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The runbook library in the local database: every version kept, the head indexed for search.
 * Readers never touch the network, so the library works the same with the hub down.
 */
export class RunbookLibrary {
  private readonly s;
  /** Whether this process has made sure a new install got the example runbooks (runbooks/service.ts). */
  seedChecked = false;

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => Date = () => new Date(),
    /** A search slower than this caches its phrases' ranks; tests pass 0 to cache every search. */
    private readonly slowSearchMs = SLOW_SEARCH_MS,
  ) {
    this.s = {
      head: db.prepare<[string], HeadRow>('SELECT * FROM runbooks WHERE name = ?'),
      headByUid: db.prepare<[string], HeadRow>('SELECT * FROM runbooks WHERE uid = ?'),
      insertHead: db.prepare(
        `INSERT INTO runbooks (uid, name, title, services, tags, owner, last_verified, version, hash, author, updated_at, step_count, hub_seq)
         VALUES (@uid, @name, @title, @services, @tags, @owner, @lastVerified, @version, @hash, @author, @updatedAt, @stepCount, @hubSeq)`,
      ),
      updateHead: db.prepare(
        `UPDATE runbooks SET title = @title, services = @services, tags = @tags, owner = @owner, last_verified = @lastVerified,
           version = @version, hash = @hash, author = @author, updated_at = @updatedAt, step_count = @stepCount, hub_seq = @hubSeq
         WHERE id = @id`,
      ),
      insertVersion: db.prepare(
        'INSERT INTO runbook_versions (runbook_id, version, hash, content, author, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      version: db.prepare<[number, number], { content: string; version: number; hash: string; author: string; created_at: string }>(
        'SELECT content, version, hash, author, created_at FROM runbook_versions WHERE runbook_id = ? AND version = ?',
      ),
      versions: db.prepare<[number], { version: number; hash: string; author: string; created_at: string }>(
        'SELECT version, hash, author, created_at FROM runbook_versions WHERE runbook_id = ? ORDER BY version',
      ),
      ftsDelete: db.prepare('DELETE FROM runbook_fts WHERE rowid = ?'),
      ftsInsert: db.prepare('INSERT INTO runbook_fts (rowid, name, title, services, tags, body) VALUES (?, ?, ?, ?, ?, ?)'),
      all: db.prepare<[], HeadRow>('SELECT * FROM runbooks ORDER BY name'),
      count: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM runbooks'),
      // SQLite keeps only the best LIMIT rows while FTS5 scores each match (`rank MATCH ... ORDER BY
      // rank` would have FTS5 sort every match first, about 1.5x slower). No join: head rows come
      // from the cache below.
      search: db.prepare<[string, string, string, number], RankedRow & { snippet: string }>(
        `SELECT rowid AS id, bm25(runbook_fts, ${BM25_WEIGHTS}) AS rank, snippet(runbook_fts, -1, ?, ?, '…', 16) AS snippet
         FROM runbook_fts WHERE runbook_fts MATCH ? ORDER BY rank, rowid LIMIT ?`,
      ),
      phraseRanks: db
        .prepare<[string], [number, number]>(`SELECT rowid, bm25(runbook_fts, ${BM25_WEIGHTS}) FROM runbook_fts WHERE runbook_fts MATCH ? ORDER BY rowid`)
        .raw(),
      setGeneration: db.prepare<[string]>(
        `INSERT INTO runbook_settings (key, value) VALUES ('index_generation', ?)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
      ),
      dataVersion: db.prepare<[], number>('PRAGMA data_version').pluck(),
      getSetting: db.prepare<[string], { value: string }>('SELECT value FROM runbook_settings WHERE key = ?'),
      setSetting: db.prepare('INSERT INTO runbook_settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
    };
  }

  /**
   * Stores `text` as the runbook `name`'s next version, unless it is byte-for-byte the head
   * already (so importing the same folder twice changes nothing). Invalid text throws and
   * leaves the library as it was.
   */
  put(name: string, text: string, author: string, opts: { hubSeq?: number | null; uid?: string } = {}): PutResult {
    refuseReservedRunbookName(name);
    const doc = parseRunbook(name, text);
    const hash = sha256(text);
    const at = this.now().toISOString();
    const fields = {
      title: doc.title,
      services: JSON.stringify(doc.services),
      tags: JSON.stringify(doc.tags),
      owner: doc.owner,
      lastVerified: doc.lastVerified,
      hash,
      author,
      updatedAt: at,
      stepCount: doc.steps.length,
      hubSeq: opts.hubSeq ?? null,
    };
    this.cache = null;
    // Inside a caller's transaction this write may still be rolled back: check again after it.
    if (this.db.inTransaction) this.recheckGeneration = true;
    return this.db.transaction((): PutResult => {
      const head = this.s.head.get(name);
      if (head && head.hash === hash) return { outcome: 'unchanged', name, runbookId: head.uid, version: head.version };
      let id: number;
      let uid: string;
      let version: number;
      if (head) {
        id = head.id;
        uid = head.uid;
        version = head.version + 1;
        // A local edit keeps the hub version it was based on: that is what a publish is checked against.
        this.s.updateHead.run({ ...fields, hubSeq: opts.hubSeq ?? head.hub_seq, id, version });
        // Re-indexing is delete + insert of the one FTS row, in this same transaction.
        this.s.ftsDelete.run(id);
      } else {
        uid = opts.uid ?? newId();
        version = 1;
        id = Number(this.s.insertHead.run({ ...fields, uid, name, version }).lastInsertRowid);
      }
      this.s.insertVersion.run(id, version, hash, text, author, at);
      this.s.ftsInsert.run(id, name, doc.title, doc.services.join(' '), doc.tags.join(' '), doc.body);
      // Other connections (the CLI, a second window) learn from this that cached ranks are stale.
      // A fresh id, not a counter: a rolled-back bump could otherwise be reused by another writer.
      const generation = newId();
      this.s.setGeneration.run(generation);
      this.indexGeneration = generation;
      this.ranks.invalidate();
      return { outcome: head ? 'updated' : 'added', name, runbookId: uid, version };
    })();
  }

  /** The hub seq of the version the local head came from (or was published as); null if local only. */
  hubSeqOf(name: string): number | null {
    return this.headOrThrow(name).hub_seq;
  }

  setHubSeq(name: string, seq: number): void {
    this.db.prepare('UPDATE runbooks SET hub_seq = ? WHERE name = ?').run(seq, name);
    this.cache = null;
  }

  count(): number {
    return this.s.count.get()?.n ?? 0;
  }

  staleDays(): number {
    const v = Number(this.s.getSetting.get('stale_days')?.value);
    return Number.isInteger(v) && v > 0 ? v : DEFAULT_STALE_DAYS;
  }

  setStaleDays(days: number): void {
    if (!Number.isInteger(days) || days < 1 || days > 3650) throw new ConnError('invalid-input', 'stale days must be a whole number from 1 to 3650');
    this.s.setSetting.run('stale_days', String(days));
  }

  setting(key: string): string | null {
    return this.s.getSetting.get(key)?.value ?? null;
  }

  setSetting(key: string, value: string): void {
    this.s.setSetting.run(key, value);
  }

  private cache: { version: number; byId: Map<number, Omit<RunbookSummary, 'stale'>> } | null = null;
  /**
   * The index generation the cached ranks were built at: undefined until first read, null while
   * the database has none (written before generations existed, or with nothing put yet).
   */
  private indexGeneration: string | null | undefined = undefined;
  /** Set by a put() inside a caller's transaction, which may yet be rolled back. */
  private recheckGeneration = false;
  private readonly ranks = new PhraseRankCache((phrase) => this.rankAll(phrase), {
    // A closed database ends background building quietly; anything else is worth a warning.
    onError: (err) => {
      if (this.db.open) process.emitWarning(`runbook search cache: ${err instanceof Error ? err.message : String(err)}`);
    },
  });

  private rankAll(phrase: string): PhraseRanks {
    const rows = this.s.phraseRanks.all(phrase);
    const ids = new Float64Array(rows.length);
    const ranks = new Float64Array(rows.length);
    rows.forEach(([id, rank], i) => {
      ids[i] = id;
      ranks[i] = rank;
    });
    return { ids, ranks };
  }

  /**
   * Every head row by id, for search results: a search then costs the raw FTS5 query plus map
   * lookups. Rebuilt when another connection (the CLI, another window) has committed, which
   * `PRAGMA data_version` reveals; this connection's own writes drop it in put().
   */
  private headsById(): Map<number, Omit<RunbookSummary, 'stale'>> {
    const version = this.s.dataVersion.get() as number;
    const recheck = this.recheckGeneration && !this.db.inTransaction;
    if (!this.cache || this.cache.version !== version || recheck) {
      this.recheckGeneration &&= this.db.inTransaction;
      const generation = this.setting('index_generation');
      if (generation !== this.indexGeneration) {
        if (this.indexGeneration !== undefined) this.ranks.invalidate();
        this.indexGeneration = generation;
      }
      this.cache = { version, byId: new Map(this.s.all.all().map((r) => [r.id, this.summary(r, DEFAULT_STALE_DAYS)])) };
    }
    return this.cache.byId;
  }

  private headOrThrow(name: string): HeadRow {
    const head = this.s.head.get(name) ?? this.s.headByUid.get(name);
    if (!head) throw new ConnError('not-found', `no runbook named "${name}": run \`conn runbook list\` or \`conn runbook search\` to find it`);
    return head;
  }

  private summary(r: HeadRow, staleDays: number): RunbookSummary {
    return {
      runbookId: r.uid,
      name: r.name,
      title: r.title,
      services: JSON.parse(r.services) as string[],
      tags: JSON.parse(r.tags) as string[],
      owner: r.owner,
      lastVerified: r.last_verified,
      stale: isStale(r.last_verified, this.now(), staleDays),
      version: r.version,
      hash: r.hash,
      author: r.author,
      updatedAt: r.updated_at,
      stepCount: r.step_count,
    };
  }

  /** One version (the head by default) in full, with its checklist and the version history. */
  get(name: string, version?: number, staleDays = this.staleDays()): RunbookDetail {
    const head = this.headOrThrow(name);
    const v = version ?? head.version;
    const row = this.s.version.get(head.id, v);
    if (!row) throw new ConnError('not-found', `runbook "${head.name}" has versions 1 to ${head.version}; there is no version ${v}`);
    const doc = parseRunbook(head.name, row.content);
    const versions: RunbookVersionInfo[] = this.s.versions.all(head.id).map((x) => ({ version: x.version, hash: x.hash, author: x.author, createdAt: x.created_at }));
    // Title, tags and staleness describe the version shown, not the head.
    return {
      ...this.summary(head, staleDays),
      title: doc.title,
      services: doc.services,
      tags: doc.tags,
      owner: doc.owner,
      lastVerified: doc.lastVerified,
      stale: isStale(doc.lastVerified, this.now(), staleDays),
      version: row.version,
      hash: row.hash,
      author: row.author,
      updatedAt: row.created_at,
      stepCount: doc.steps.length,
      headVersion: head.version,
      content: row.content,
      body: doc.body,
      steps: doc.steps,
      versions,
    };
  }

  list(opts: { staleOnly?: boolean; staleDays?: number } = {}): RunbookSummary[] {
    const days = opts.staleDays ?? this.staleDays();
    const all = this.s.all.all().map((r) => this.summary(r, days));
    return opts.staleOnly ? all.filter((r) => r.stale) : all;
  }

  /** Every head, for export and suggestions. */
  heads(): Array<{ name: string; content: string; summary: RunbookSummary }> {
    const days = this.staleDays();
    return this.s.all.all().map((r) => ({ name: r.name, content: this.s.version.get(r.id, r.version)?.content ?? '', summary: this.summary(r, days) }));
  }

  /**
   * Ranked full-text search (bm25, title and name weighted above the body) with highlighted
   * snippets. Plain input is made safe by toFtsQuery; a raw query's syntax error is a message.
   */
  search(query: string, opts: SearchOptions = {}): SearchHit[] {
    const phrases = opts.raw ? null : toFtsPhrases(query).map(foldAscii);
    const fts = phrases ? phrases.join(' ') : query.trim();
    if (!fts) throw new ConnError('invalid-input', 'type a word to search for');
    const limit = Math.min(Math.max(opts.limit ?? 20, 1), 200);
    const days = opts.staleDays ?? this.staleDays();
    const heads = this.headsById(); // also drops cached ranks if another connection changed the index
    let rows: Array<RankedRow & { snippet: string }>;
    try {
      const cached = phrases ? this.ranks.top(phrases, limit) : null;
      if (cached) rows = this.withSnippets(fts, cached);
      else {
        const started = performance.now();
        rows = this.s.search.all(HIT_START, HIT_END, fts, limit);
        if (phrases && performance.now() - started >= this.slowSearchMs) this.ranks.noteSlow(phrases);
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (/fts5|syntax error|no such column|unterminated/i.test(message)) throw new ConnError('invalid-input', describeFtsError(query, message));
      throw err;
    }
    const now = this.now();
    const hits: SearchHit[] = [];
    for (const r of rows) {
      const head = heads.get(r.id);
      if (head) hits.push({ ...head, stale: isStale(head.lastVerified, now, days), rank: r.rank, snippet: snippetSegments(r.snippet) });
    }
    return hits;
  }

  private readonly snippetsByCount = new Map<number, Database.Statement<unknown[], { id: number; snippet: string }>>();

  /** Snippets for rows ranked from the cache: one statement, FTS5 seeking each rowid. */
  private withSnippets(fts: string, rows: RankedRow[]): Array<RankedRow & { snippet: string }> {
    if (rows.length === 0) return [];
    let stmt = this.snippetsByCount.get(rows.length);
    if (!stmt) {
      stmt = this.db.prepare(
        `SELECT rowid AS id, snippet(runbook_fts, -1, ?, ?, '…', 16) AS snippet FROM runbook_fts
         WHERE runbook_fts MATCH ? AND rowid IN (${rows.map(() => '?').join(', ')})`,
      );
      this.snippetsByCount.set(rows.length, stmt);
    }
    const byId = new Map(stmt.all(HIT_START, HIT_END, fts, ...rows.map((r) => r.id)).map((r) => [r.id, r.snippet]));
    return rows.map((r) => ({ ...r, snippet: byId.get(r.id) ?? '' }));
  }

  /**
   * For long-lived hosts (the app's core, `conn web`): soon after start, cache the ranks of the
   * words found in the most runbooks, so even the first search for one is within a frame. Runs
   * after the current turn; finding the words reads the whole index once (about 0.1 s for 10,000
   * runbooks), and their ranks are then built one per event-loop turn.
   */
  prewarmSearch(): void {
    const timer = setTimeout(() => {
      try {
        const n = this.count();
        if (n < PREWARM_MIN_RUNBOOKS) return;
        this.db.exec('CREATE VIRTUAL TABLE IF NOT EXISTS temp.runbook_vocab USING fts5vocab(main, runbook_fts, row)');
        const terms = this.db
          .prepare<[number, number], string>('SELECT term FROM temp.runbook_vocab WHERE doc >= ? ORDER BY doc DESC LIMIT ?')
          .pluck()
          .all(Math.ceil(n / 10), PREWARM_TERMS);
        this.headsById(); // learn the index generation first, so the warmed ranks are not dropped as stale
        const quoted = (t: string) => `"${t.replace(/"/g, '""')}"`;
        this.ranks.noteSlow(terms.map(quoted));
        // Then their prefixes that the prefix index serves ('2 3'), built after the words.
        const prefixes = [...new Set(terms.flatMap((t) => ([...t].length > 3 ? [t.slice(0, 2), t.slice(0, 3)] : [])))].slice(0, PREWARM_PREFIXES);
        this.ranks.noteSlow(prefixes.map((p) => `${quoted(p)}*`));
      } catch {
        // The database closed before the timer fired: nothing to warm.
      }
    }, 0);
    timer.unref?.();
  }

  /** How many query phrases have their ranks cached (phrase-ranks.ts). */
  get cachedPhrases(): number {
    return this.ranks.size;
  }

  /** Builds the ranks of every phrase waiting for it now, instead of in the background. */
  warmSearch(): void {
    this.headsById();
    this.ranks.flush();
  }

  /** Runs a raw FTS5 match over the given query and returns names, for suggestions. */
  matchNames(fts: string, limit: number): Array<{ name: string; rank: number }> {
    try {
      const heads = this.headsById();
      return this.s.search.all(HIT_START, HIT_END, fts, limit).flatMap((r) => {
        const head = heads.get(r.id);
        return head ? [{ name: head.name, rank: r.rank }] : [];
      });
    } catch {
      return [];
    }
  }
}
