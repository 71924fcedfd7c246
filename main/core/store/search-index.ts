import { ConnError } from '../../../shared/domain/errors.js';
import { TEXT_KINDS, type EventKind } from '../../../shared/domain/events.js';
import type { FoldAcc, IncidentState } from '../../../shared/domain/fold.js';
import type { Severity } from '../../../shared/domain/severity.js';
import type { Status } from '../../../shared/domain/status.js';
import { HIT_END, HIT_START, snippetSegments } from '../../../shared/runbooks/results.js';
import { incidentLessons, incidentSearchText } from '../../../shared/search/incident-text.js';
import { scopeToken, searchPhrases } from '../../../shared/search/query.js';
import type { IncidentSearchHit, SimilarIncident, TimelineSearchHit, TimelineSearchResult } from '../../../shared/search/results.js';
import { significantWords } from '../../../shared/search/stopwords.js';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/database.js';

/*
 * Full-text search over incidents (migration 006 has the tables and why they are shaped so).
 * Entries are indexed by triggers on `events`; incident documents by the projector, through
 * IncidentDocs, in the same transaction as the event that changed them.
 */

/** bm25 weights in FTS column order: the words count, the incident scope token never does. */
const BM25 = 'bm25(search_fts, 1.0, 0.0)';
/**
 * A cross-incident search ranks this many best documents first, and more (up to MAX_DOCS_RANKED)
 * only when they did not hold enough incidents after the filters: fetching and grouping rows
 * costs more than FTS5's own top-k.
 */
const FIRST_DOCS_RANKED = 200;
const MAX_DOCS_RANKED = 5000;
/**
 * As you type, a query is ranked among the newest this many documents it matches, not all of
 * them: bm25 costs about a microsecond a document, and a common word or a two-letter prefix
 * matches tens of thousands (`re*`: 53,000 of 115,000 documents for 10,000 incidents, 30 to 60 ms
 * of CPU on a loaded 2-core machine). A query that matches fewer is ranked exactly as FTS5
 * ranks it, over every incident; each letter typed narrows a broad one until it is.
 */
export const TYPING_WINDOW = 1000;
const SNIPPET_TOKENS = 14;

const incidentKey = (incidentId: string) => `incident:${incidentId}`;

/** Keeps incident documents and the list of indexed kinds current; used inside write transactions. */
export class IncidentDocs {
  private readonly q;

  constructor(private readonly db: Db) {
    this.q = {
      text: db.prepare<[string], { doc: number; body: string }>(
        'SELECT d.doc, f.body FROM search_docs d JOIN search_fts f ON f.rowid = d.doc WHERE d.key = ?',
      ),
      addDoc: db.prepare<[string, string]>('INSERT INTO search_docs (key, incident_id) VALUES (?, ?)'),
      dropText: db.prepare<[number]>('DELETE FROM search_fts WHERE rowid = ?'),
      addText: db.prepare<[number | bigint, string, string]>('INSERT INTO search_fts (rowid, body, scope) VALUES (?, ?, ?)'),
      dropDoc: db.prepare<[number]>('DELETE FROM search_docs WHERE doc = ?'),
      kinds: db.prepare<[], string>('SELECT kind FROM search_text_kinds').pluck(),
      addKind: db.prepare<[string]>('INSERT OR IGNORE INTO search_text_kinds (kind) VALUES (?)'),
      backfillKind: db.prepare<[string]>(`INSERT OR IGNORE INTO search_docs (key, incident_id, hlc, kind)
        SELECT id, incident_id, hlc, kind FROM events WHERE kind = ? AND shown = 1 AND text <> ''`),
      backfillKindText: db.prepare<[string]>(`INSERT INTO search_fts (rowid, body, scope)
        SELECT d.doc, e.text, 'x' || replace(e.incident_id, '-', '') FROM search_docs d JOIN events e ON e.id = d.key WHERE d.kind = ?`),
    };
  }

  /**
   * A kind added to TEXT_KINDS after the index was built is indexed from now on, its existing
   * entries too. A no-op read on every other open.
   */
  indexNewTextKinds(): void {
    const known = new Set(this.q.kinds.all());
    const added = TEXT_KINDS.filter((k) => !known.has(k));
    if (added.length === 0) return;
    this.db.transaction(() => {
      for (const k of added) {
        this.q.addKind.run(k);
        this.q.backfillKind.run(k);
        this.q.backfillKindText.run(k);
      }
    }).immediate();
  }

  /** Re-indexes an incident's own document when its words changed; skips the write otherwise. */
  index(state: IncidentState, acc: FoldAcc): void {
    const text = incidentSearchText(state, acc);
    const key = incidentKey(state.id);
    const now = this.q.text.get(key);
    if (now?.body === text) return;
    if (now) {
      this.q.dropText.run(now.doc);
      if (text === '') {
        this.q.dropDoc.run(now.doc);
        return;
      }
      this.q.addText.run(now.doc, text, scopeToken(state.id));
      return;
    }
    if (text === '') return;
    const { lastInsertRowid } = this.q.addDoc.run(key, state.id);
    this.q.addText.run(lastInsertRowid, text, scopeToken(state.id));
  }
}

export interface IncidentSearchOptions {
  service?: string | undefined;
  /** ISO 8601: incidents declared at or after it. */
  since?: string | undefined;
  limit?: number | undefined;
  asYouType?: boolean | undefined;
  /**
   * As you type, rank every match anyway (no TYPING_WINDOW): what the search box asks once
   * typing pauses, so the answer a person stops on is the all-history ranking.
   */
  rankEveryMatch?: boolean | undefined;
}

interface RankedDoc {
  doc: number;
  rank: number;
  key: string;
  incident_id: string;
  hlc: string | null;
  kind: string | null;
}

/**
 * A word as the index holds it: unicode61 with remove_diacritics folds case and drops accents.
 * For a script where this differs from the tokenizer, the prefix is looked up under another
 * spelling and usually finds no word, so it stays a prefix (slower snippets); at worst one hit's
 * snippet lacks its highlight. The ranking never uses this.
 */
function foldForIndex(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

interface IncidentRow {
  id: string;
  ref: string;
  title: string;
  status: string;
  severity: number;
  declared_at: string | null;
  services: string;
}

/** Runs an FTS5 statement, turning what can only be a query problem into a sentence. */
function ftsCall<T>(query: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // Every term is quoted, so this is not expected; if it happens, say so instead of "internal".
    if (/fts5|syntax error|unterminated/i.test(message)) throw new ConnError('invalid-input', `cannot search for "${query}" (${message}); try plain words`);
    throw err;
  }
}

/** Reads of the search index: one incident's timeline, every incident, and similar past incidents. */
export class SearchIndex {
  private readonly q;

  /** `typingWindow`: see TYPING_WINDOW (tests make it small). */
  constructor(
    private readonly db: Db,
    private readonly typingWindow = TYPING_WINDOW,
  ) {
    this.q = {
      // The latest indexed first: FTS5 walks its doclist backwards and stops at the LIMIT, instead
      // of joining and sorting every match by time (200 ms for a common word in 10,000 entries
      // on a loaded machine, against under 1 ms). Documents are numbered as entries arrive here
      // or are edited, so this is newest first but for entries synced in late; the page itself
      // is then sorted by time.
      // The snippets come from the same walk: one MATCH, not one per hit (a prefix is expanded
      // into its words on every MATCH).
      timeline: db.prepare<[string, string, string, number], { doc: number; key: string; hlc: string; kind: string; snippet: string }>(
        `SELECT d.doc, d.key, d.hlc, d.kind, m.snippet
         FROM (SELECT rowid, snippet(search_fts, 0, ?, ?, '…', ${SNIPPET_TOKENS}) AS snippet FROM search_fts WHERE search_fts MATCH ? ORDER BY rowid DESC LIMIT ?) m
         CROSS JOIN search_docs d ON d.doc = m.rowid WHERE d.hlc IS NOT NULL`,
      ),
      count: db.prepare<[string], number>('SELECT count(*) FROM search_fts WHERE search_fts MATCH ?').pluck(),
      // The best documents first; SQLite keeps only the best LIMIT while FTS5 scores each match.
      ranked: db.prepare<[string, number], { doc: number; rank: number }>(
        `SELECT rowid AS doc, ${BM25} AS rank FROM search_fts WHERE search_fts MATCH ? ORDER BY rank, rowid LIMIT ?`,
      ),
      // The same, with each document's incident and entry: the join runs on the LIMIT rows only,
      // after FTS5 has ranked, so a search is one statement and no list of ids goes back and forth.
      rankedDocs: db.prepare<[string, number], RankedDoc>(
        `SELECT m.doc, m.rank, d.key, d.incident_id, d.hlc, d.kind
         FROM (SELECT rowid AS doc, ${BM25} AS rank FROM search_fts WHERE search_fts MATCH ? ORDER BY rank, rowid LIMIT ?) m
         CROSS JOIN search_docs d ON d.doc = m.doc`,
      ),
      // As you type: FTS5 walks the doclist newest first and stops at the window, so bm25 scores
      // at most the window's documents (it still counts every match once, for the words' idf).
      rankedRecentDocs: db.prepare<[string, number, number], RankedDoc>(
        `SELECT m.doc, m.rank, d.key, d.incident_id, d.hlc, d.kind
         FROM (SELECT doc, rank FROM (
                 SELECT rowid AS doc, ${BM25} AS rank FROM search_fts WHERE search_fts MATCH ? ORDER BY rowid DESC LIMIT ?
               ) ORDER BY rank, doc LIMIT ?) m
         CROSS JOIN search_docs d ON d.doc = m.doc`,
      ),
      docs: db.prepare<[string], { doc: number; key: string; incident_id: string; hlc: string | null; kind: string | null }>(
        'SELECT doc, key, incident_id, hlc, kind FROM search_docs WHERE doc IN (SELECT value FROM json_each(?))',
      ),
      // Services are read out of state_json (a JSON parse per incident) only when asked for:
      // to filter by one, or for the few incidents a search answers with.
      incidents: db.prepare<[number, string], IncidentRow>(
        `SELECT id, ref, title, status, severity, declared_at,
                CASE WHEN ? THEN coalesce(json_extract(state_json, '$.services'), '[]') ELSE '[]' END AS services
         FROM incidents WHERE id IN (SELECT value FROM json_each(?)) AND declared_at IS NOT NULL`,
      ),
      past: db.prepare<[string], IncidentRow & { acc_json: string; state_json: string }>(
        `SELECT id, ref, title, status, severity, declared_at, coalesce(json_extract(state_json, '$.services'), '[]') AS services, acc_json, state_json
         FROM incidents WHERE id = ?`,
      ),
      // The rowid bounds are CAST: better-sqlite3 binds a JS number as a real, and beside a MATCH
      // FTS5 drops a rowid constraint whose value is not an integer (see snippets()).
      snippetsBetween: db.prepare<[string, string, string, number, number, string], { doc: number; snippet: string }>(
        `SELECT rowid AS doc, snippet(search_fts, 0, ?, ?, '…', ${SNIPPET_TOKENS}) AS snippet FROM search_fts
         WHERE search_fts MATCH ? AND rowid >= CAST(? AS INTEGER) AND rowid <= CAST(? AS INTEGER) AND +rowid IN (SELECT value FROM json_each(?))`,
      ),
      authors: db.prepare<[string], { id: string; author_name: string }>('SELECT id, author_name FROM events WHERE id IN (SELECT value FROM json_each(?))'),
      // Resolved and closed incidents sharing a service (case-insensitive): one pass over the list.
      sameServices: db.prepare<[string, string], { id: string }>(
        `SELECT i.id FROM incidents i WHERE i.status IN ('resolved', 'closed') AND i.declared_at IS NOT NULL AND i.id <> ?
           AND EXISTS (SELECT 1 FROM json_each(i.state_json, '$.services') s WHERE lower(s.value) IN (SELECT lower(value) FROM json_each(?)))
         ORDER BY i.declared_at DESC LIMIT 200`,
      ),
    };
  }

  /** One incident's entries whose words match, newest first, with highlighted snippets. */
  timeline(incidentId: string, query: string, opts: { limit?: number | undefined; asYouType?: boolean | undefined } = {}): TimelineSearchResult {
    const phrases = searchPhrases(query, { asYouType: opts.asYouType });
    const match = `scope : "${scopeToken(incidentId)}" AND body : (${phrases.join(' ')})`;
    const limit = opts.limit ?? 50;
    const rows = ftsCall(query, () => this.q.timeline.all(HIT_START, HIT_END, match, limit)).sort((a, b) => (a.hlc === b.hlc ? (a.key < b.key ? 1 : -1) : a.hlc < b.hlc ? 1 : -1));
    const authors = this.authorsOf(rows.map((r) => r.key));
    const hits: TimelineSearchHit[] = rows.map((r) => ({
      id: r.key,
      hlc: r.hlc,
      kind: r.kind as EventKind,
      at: new Date(Number(r.hlc.slice(0, 13))).toISOString(),
      author: authors.get(r.key) ?? '',
      snippet: snippetSegments(r.snippet),
    }));
    return { hits, total: rows.length < limit ? rows.length : this.q.count.get(match) ?? 0 };
  }

  /**
   * Incidents whose documents match, best first by their best document's bm25. Ranks the best
   * documents (SQLite keeps a top-k while FTS5 scores every match) and keeps each incident's best
   * one, after the service and since filters; ranks more only when too few incidents were left.
   * As you type (without filters) only the newest TYPING_WINDOW matching documents are ranked,
   * unless `rankEveryMatch` (typing has paused).
   */
  incidents(query: string, opts: IncidentSearchOptions = {}): IncidentSearchHit[] {
    const phrases = searchPhrases(query, { asYouType: opts.asYouType });
    const match = `body : (${phrases.join(' ')})`;
    const limit = opts.limit ?? 20;
    const since = opts.since === undefined ? null : new Date(opts.since).toISOString();
    const service = opts.service?.toLowerCase() ?? null;
    // The search box has no filters; a filtered search ranks every match, so that a filter never
    // hides an incident the window left out.
    const windowed = opts.asYouType === true && opts.rankEveryMatch !== true && since === null && service === null;
    let docLimit = FIRST_DOCS_RANKED;
    for (;;) {
      const ranked = ftsCall(query, () =>
        windowed ? this.q.rankedRecentDocs.all(match, this.typingWindow, docLimit) : this.q.rankedDocs.all(match, docLimit),
      );
      const found = this.bestPerIncident(ranked, { since, service, limit });
      if (found.best.size >= limit || ranked.length < docLimit || docLimit >= MAX_DOCS_RANKED) return this.incidentHits(phrases, found);
      docLimit = Math.min(docLimit * 5, MAX_DOCS_RANKED);
    }
  }

  /**
   * Each incident's best document among the ranked ones, in rank order, after the filters. The
   * incidents are read in rank order, a page at a time, until `limit` are kept: without filters
   * that is one read of about `limit` rows, not one per ranked document.
   */
  private bestPerIncident(ranked: RankedDoc[], f: { since: string | null; service: string | null; limit: number }) {
    // The subquery's order is not promised through the join: rank, then doc, as FTS5 ranked them.
    ranked.sort((a, b) => a.rank - b.rank || a.doc - b.doc);
    const matches = new Map<string, number>();
    const bestDoc = new Map<string, RankedDoc>();
    for (const d of ranked) {
      matches.set(d.incident_id, (matches.get(d.incident_id) ?? 0) + 1);
      if (!bestDoc.has(d.incident_id)) bestDoc.set(d.incident_id, d);
    }
    const order = [...bestDoc.keys()];
    const best = new Map<string, { doc: RankedDoc; matches: number }>();
    const page = f.since === null && f.service === null ? f.limit + 5 : 200;
    for (let at = 0; at < order.length && best.size < f.limit; at += page) {
      const ids = order.slice(at, at + page);
      const rows = new Map(this.q.incidents.all(f.service !== null ? 1 : 0, JSON.stringify(ids)).map((i) => [i.id, i]));
      for (const id of ids) {
        const inc = rows.get(id); // none: an incident not declared here yet
        if (!inc || best.size >= f.limit) continue;
        if (f.since !== null && (inc.declared_at === null || inc.declared_at < f.since)) continue;
        if (f.service !== null && !(JSON.parse(inc.services) as string[]).some((s) => s.toLowerCase() === f.service)) continue;
        best.set(id, { doc: bestDoc.get(id) as RankedDoc, matches: matches.get(id) ?? 1 });
      }
    }
    return { best };
  }

  private incidentHits(phrases: string[], { best }: ReturnType<SearchIndex['bestPerIncident']>): IncidentSearchHit[] {
    const match = this.snippetMatch(phrases);
    const docs = [...best.values()].map((b) => b.doc.doc);
    const snippets = this.snippets(match, docs);
    // Services for the shown incidents only (a JSON parse each).
    const incidents = new Map(this.q.incidents.all(1, JSON.stringify([...best.keys()])).map((i) => [i.id, i]));
    return [...best.entries()].map(([id, { doc: d, matches }]) => ({
      ...incidentFields(incidents.get(id) as IncidentRow),
      rank: d.rank,
      match: d.hlc === null ? { kind: 'incident' as const } : { kind: 'entry' as const, entryId: d.key, hlc: d.hlc, entryKind: d.kind as EventKind },
      snippet: snippetSegments(snippets.get(d.doc) ?? ''),
      matches,
    }));
  }

  /**
   * The query the snippets are made with: the same words, but a prefix of four or more letters
   * that stands for one word only is spelled out as that word (`datab*` → `database`). The prefix
   * index serves two and three letters; any other prefix makes FTS5 merge the doclists of its
   * words again for the snippets' walk (about as much as the term lookup here costs since the 20
   * snippets are one walk; it was 8 ms against 0.6 ms for `datab*` when each was its own MATCH,
   * and it still bounds the worst case). Only for one word: FTS5 picks a snippet's
   * window by how many of the query's phrases it holds, so `database OR databases` could pick
   * another window than `datab*`, whose snippets this keeps exactly as FTS5 makes them.
   */
  private snippetMatch(phrases: string[]): string {
    const spelled = phrases.map((p) => {
      if (!p.endsWith('*')) return p;
      const inner = p.slice(1, -2); // "…"* → …, with its "" still doubled
      const last = /[\p{L}\p{N}]+$/u.exec(inner)?.[0] ?? '';
      const letters = [...last].length;
      if (letters === 2 || letters === 3) return p;
      const stem = foldForIndex(last);
      const terms = letters >= 4 ? this.prefixTerms().all(stem, `${stem}\u{10FFFF}`, 2) : [];
      if (terms.length !== 1) return p;
      return `"${inner.slice(0, inner.length - last.length)}${(terms[0] as string).replace(/"/g, '""')}"`;
    });
    return `body : (${spelled.join(' ')})`;
  }

  private prefixTermsStmt: Statement<[string, string, number], string> | null = null;
  /** The words of the index from a range of its term list (fts5vocab over search_fts, this connection only). */
  private prefixTerms(): Statement<[string, string, number], string> {
    if (!this.prefixTermsStmt) {
      this.db.exec('CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_terms USING fts5vocab(main, search_fts, row)');
      this.prefixTermsStmt = this.db.prepare<[string, string, number], string>('SELECT term FROM temp.search_terms WHERE term >= ? AND term < ? LIMIT ?').pluck();
    }
    return this.prefixTermsStmt;
  }

  /**
   * Resolved and closed incidents like this one, best first: each shared service counts more than
   * any words, then the words of this incident's title and summary they share (bm25, any of them).
   */
  similar(state: IncidentState, limit = 5): SimilarIncident[] {
    const scored = new Map<string, number>();
    const bump = (id: string, score: number) => scored.set(id, (scored.get(id) ?? 0) + score);
    if (state.services.length > 0) {
      for (const { id } of this.q.sameServices.all(state.id, JSON.stringify(state.services))) bump(id, 100);
    }
    const words = significantWords(`${state.title} ${state.summary ?? ''}`).slice(0, 12);
    if (words.length > 0) {
      // OR: any of the words may match; bm25 already prefers documents that have more of them.
      const match = `body : (${words.map((w) => `"${w.replace(/"/g, '""')}"`).join(' OR ')})`;
      const ranked = this.q.ranked.all(match, 500);
      const docs = new Map(this.q.docs.all(JSON.stringify(ranked.map((r) => r.doc))).map((d) => [d.doc, d]));
      const past = new Map(this.q.incidents.all(0, JSON.stringify([...new Set([...docs.values()].map((d) => d.incident_id))])).map((i) => [i.id, i]));
      const byWords = new Set<string>();
      for (const r of ranked) {
        const inc = past.get(docs.get(r.doc)?.incident_id ?? '');
        if (!inc || inc.id === state.id || (inc.status !== 'resolved' && inc.status !== 'closed') || byWords.has(inc.id)) continue;
        byWords.add(inc.id);
        bump(inc.id, Math.max(1, 51 - byWords.size));
      }
    }
    const top = [...scored.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? 1 : -1)).slice(0, limit);
    const wanted = new Set(state.services.map((s) => s.toLowerCase()));
    return top.flatMap(([id]) => {
      const row = this.q.past.get(id);
      if (!row) return [];
      const pastState = JSON.parse(row.state_json) as IncidentState;
      const acc = JSON.parse(row.acc_json) as FoldAcc;
      const theirWords = new Set(significantWords(incidentSearchText(pastState, acc)));
      return [{
        incidentId: row.id,
        ref: row.ref,
        title: row.title,
        status: row.status as Status,
        severity: row.severity as Severity,
        declaredAt: row.declared_at,
        sharedServices: pastState.services.filter((s) => wanted.has(s.toLowerCase())),
        sharedWords: words.filter((w) => theirWords.has(w)),
        lessons: incidentLessons(pastState, acc),
      }];
    });
  }

  /**
   * Highlighted snippets of the given documents, from one walk of the matches between the lowest
   * and the highest of them, SQLite keeping the given rows (`+rowid` keeps FTS5 from taking the
   * IN as a lookup per row). FTS5 seeks to the lowest, so the walk covers only the matches in
   * between: after a ranking window, only the newest. A lookup per row (`rowid = ?`) seeks every
   * segment of the index for every row, scanning the doclist of each segment too small to have a
   * doclist index, and a prefix FTS5 must merge was merged again for each: 20 snippets of
   * `rolled back de*` took 23 ms of CPU that way and 2.7 ms in one walk, `paym*` 63 ms and 3.8 ms
   * (10,000 incidents, a loaded 2-core machine). The rowid bounds are CAST to integers in the
   * SQL: better-sqlite3 binds a JS number as a real, and beside a MATCH FTS5 drops a rowid
   * constraint whose value is not an integer (every hit once got the first match's snippet).
   */
  private snippets(match: string, docs: number[]): Map<number, string> {
    if (docs.length === 0) return new Map();
    const low = Math.min(...docs);
    const high = Math.max(...docs);
    const rows = ftsCall(match, () => this.q.snippetsBetween.all(HIT_START, HIT_END, match, low, high, JSON.stringify(docs)));
    return new Map(rows.map((r) => [r.doc, r.snippet]));
  }

  private authorsOf(ids: string[]): Map<string, string> {
    if (ids.length === 0) return new Map();
    const rows = this.q.authors.all(JSON.stringify(ids));
    return new Map(rows.map((r) => [r.id, r.author_name]));
  }
}

function incidentFields(r: IncidentRow): Pick<IncidentSearchHit, 'incidentId' | 'ref' | 'title' | 'status' | 'severity' | 'services' | 'declaredAt'> {
  return {
    incidentId: r.id,
    ref: r.ref,
    title: r.title,
    status: r.status as Status,
    severity: r.severity as Severity,
    services: JSON.parse(r.services) as string[],
    declaredAt: r.declared_at,
  };
}
