import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempCore } from '../../../test/core/temp-core.js';
import type { ConnEvent } from '../../../shared/domain/events.js';
import { newId } from '../../../shared/domain/ids.js';
import { HIT_END, HIT_START, snippetSegments } from '../../../shared/runbooks/results.js';
import { searchPhrases } from '../../../shared/search/query.js';
import { formatHlc } from '../../../shared/sync/hlc.js';
import type { Core } from '../open.js';
import { SearchIndex, TYPING_WINDOW } from './search-index.js';

/*
 * Search as you type over many incidents gives what FTS5 itself ranks: for every keystroke of
 * several queries, SearchIndex.incidents() is compared with a reference that asks FTS5 for the
 * bm25 of every matching document (no LIMIT, no shortcuts), keeps each incident's best one in
 * (rank, document) order, and takes the first 20. The words share prefixes (data, database,
 * databases, dashboard; read, ready, replica, replicas), so a prefix stands for several words,
 * and the snippets are checked against FTS5's own snippet() for the prefix as typed. As you type,
 * a query that matches more documents than the typing window (TYPING_WINDOW) is ranked among the
 * newest that many: the reference then ranks those only. Some of these keystrokes cross the app's
 * window and most do not; one test makes the window small so that many cross it.
 */

const WORDS = [
  'the', 'to', 'on', 'we', 'database', 'databases', 'data', 'datadog', 'dashboard', 'read', 'ready', 'replica', 'replicas',
  'restart', 'rolled', 'rollback', 'latency', 'lag', 'certificate', 'expired', 'checkout', 'payments', 'webhook', 'connection',
  'pool', 'customers', 'report', 'timeouts', 'failover', 'résumé',
];
const SERVICES = ['payments-db', 'checkout', 'auth', 'search'];

let seed = 5;
const rand = () => {
  seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
const words = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(WORDS.length * rand() ** 2)]).join(' ');

let core: Core;
let cleanup: () => Promise<void>;
beforeAll(() => {
  const t = tempCore();
  core = t.core;
  cleanup = t.cleanup;
  const author = { id: 'tester', name: 'Tester' };
  let wall = Date.UTC(2025, 0, 1);
  const event = (incidentId: string, kind: ConnEvent['kind'], payload: unknown) =>
    ({ id: newId(), incidentId, hlc: formatHlc({ wall: (wall += 60_000), counter: 0 }), author, kind, payload }) as ConnEvent;
  const events: ConnEvent[] = [];
  for (let i = 0; i < 300; i++) {
    const id = newId();
    events.push(event(id, 'incident.declared', { title: words(4), severity: 1 + (i % 4), services: [SERVICES[i % SERVICES.length]], summary: words(12) }));
    for (let e = 0; e < 4; e++) events.push(event(id, e === 3 ? 'minutes.written' : 'note', { text: words(e === 3 ? 40 : 8) }));
  }
  core.events.ingest(events);
});
afterAll(() => cleanup());

const matchOf = (query: string) => `body : (${searchPhrases(query, { asYouType: true }).join(' ')})`;
const matching = (query: string) => core.db.prepare<[string], number>('SELECT count(*) FROM search_fts WHERE search_fts MATCH ?').pluck().get(matchOf(query)) ?? 0;

/**
 * What FTS5 ranks, with nothing cut short: each incident's best document, best first. With
 * `newest`, of the newest that many matching documents only (the typing window).
 */
function reference(query: string, opts: { service?: string; since?: string; newest?: number } = {}) {
  const rows = core.db
    .prepare<[string, number], { doc: number; rank: number; incident_id: string; key: string; services: string; declared_at: string }>(
      `SELECT f.rowid AS doc, bm25(search_fts, 1.0, 0.0) AS rank, d.incident_id, d.key,
              json_extract(i.state_json, '$.services') AS services, i.declared_at
       FROM search_fts f JOIN search_docs d ON d.doc = f.rowid JOIN incidents i ON i.id = d.incident_id
       WHERE search_fts MATCH ? ORDER BY f.rowid DESC LIMIT ?`,
    )
    .all(matchOf(query), opts.newest ?? -1)
    .sort((a, b) => a.rank - b.rank || a.doc - b.doc);
  const best = new Map<string, { doc: number; rank: number; key: string }>();
  for (const r of rows) {
    if (best.has(r.incident_id)) continue;
    if (opts.service && !(JSON.parse(r.services) as string[]).includes(opts.service)) continue;
    if (opts.since && r.declared_at < opts.since) continue;
    best.set(r.incident_id, r);
  }
  return [...best.entries()].slice(0, 20).map(([incidentId, b]) => ({ incidentId, doc: b.doc, rank: b.rank, key: b.key }));
}

const typed = (q: string) => Array.from({ length: q.length }, (_, i) => q.slice(0, i + 1)).filter((k) => /[\p{L}\p{N}]/u.test(k));
const QUERIES = ['database failover', 'read replica lag', '"connection pool"', 'payments-db', 'customers report timeouts', 'the', 'résumé'];

describe('incident search as you type', () => {
  it('gives, at every keystroke, the incidents FTS5 ranks best in the typing window, in its order, each at its best document', () => {
    let compared = 0;
    for (const q of QUERIES) {
      for (const k of typed(q)) {
        const want = reference(k, { newest: TYPING_WINDOW });
        const got = core.search.incidents(k, { asYouType: true });
        expect(got.map((h) => h.incidentId), k).toEqual(want.map((w) => w.incidentId));
        expect(got.map((h) => h.rank), k).toEqual(want.map((w) => w.rank));
        // The document that matched: the incident's own (title, summary…) or the entry, by its id.
        expect(got.map((h) => (h.match.kind === 'entry' ? h.match.entryId : `incident:${h.incidentId}`)), k).toEqual(want.map((w) => w.key));
        compared += got.length;
      }
    }
    expect(compared).toBeGreaterThan(500); // the queries do find things, so the comparison means something
    expect(matching('da')).toBeGreaterThan(TYPING_WINDOW); // and some cross the app's window
  });

  /**
   * Every matching document's snippet from one plain scan, so the reference takes no shortcut
   * (a bound `rowid = ?` beside a MATCH is ignored by FTS5 when the number is bound as a real).
   */
  const snippets = (match: string) =>
    new Map(
      core.db
        .prepare<[string, string, string], { doc: number; s: string }>(`SELECT rowid AS doc, snippet(search_fts, 0, ?, ?, '…', 14) AS s FROM search_fts WHERE search_fts MATCH ?`)
        .all(HIT_START, HIT_END, match)
        .map((r) => [r.doc, r.s]),
    );

  it('keeps the filters exact: only the service asked for, only incidents declared since the time given', () => {
    const since = core.db.prepare<[], string>("SELECT declared_at FROM incidents ORDER BY declared_at LIMIT 1 OFFSET 150").pluck().get()!;
    for (const k of ['da', 'datab', 'read rep', 'the']) {
      expect(core.search.incidents(k, { asYouType: true, service: 'checkout' }).map((h) => h.incidentId), k).toEqual(reference(k, { service: 'checkout' }).map((w) => w.incidentId));
      expect(core.search.incidents(k, { asYouType: true, since }).map((h) => h.incidentId), k).toEqual(reference(k, { since }).map((w) => w.incidentId));
    }
  });

  it('highlights what FTS5 highlights for the prefix as typed, though a prefix of one word is spelled out as it', () => {
    for (const k of ['datab', 'databa', 'dash', 'read repl', 'replic', 'rollb', 'résu', 'resu']) {
      const match = matchOf(k);
      const want = reference(k, { newest: TYPING_WINDOW });
      const all = snippets(match);
      const got = core.search.incidents(k, { asYouType: true });
      expect(got.length, k).toBeGreaterThan(0);
      got.forEach((h, i) => expect(h.snippet, k).toEqual(snippetSegments(all.get(want[i]!.doc) ?? 'none')));
      // Each hit has its own document's words, not another's (they were once all the first match's).
      expect(new Set(got.map((h) => JSON.stringify(h.snippet))).size, k).toBeGreaterThan(1);
    }
  });

  it('ranks a query broader than the typing window among the newest documents it matches, as FTS5 ranks them', () => {
    const WINDOW = 100;
    const search = new SearchIndex(core.db, WINDOW);
    let broad = 0;
    let narrow = 0;
    for (const q of QUERIES) {
      for (const k of typed(q)) {
        const count = matching(k);
        // Within the window a query is ranked over every match, exactly as without it.
        const want = count > WINDOW ? reference(k, { newest: WINDOW }) : reference(k);
        if (count > WINDOW) broad++;
        else if (count > 0) narrow++;
        const got = search.incidents(k, { asYouType: true });
        expect(got.map((h) => h.incidentId), k).toEqual(want.map((w) => w.incidentId));
        expect(got.map((h) => h.rank), k).toEqual(want.map((w) => w.rank));
        expect(got.map((h) => (h.match.kind === 'entry' ? h.match.entryId : `incident:${h.incidentId}`)), k).toEqual(want.map((w) => w.key));
        const all = snippets(matchOf(k));
        got.forEach((h, i) => expect(h.snippet, k).toEqual(snippetSegments(all.get(want[i]!.doc) ?? 'none')));
      }
    }
    expect(broad).toBeGreaterThan(10);
    expect(narrow).toBeGreaterThan(10);
    // The window really leaves older documents out, so the comparison above means something.
    expect(reference('the', { newest: WINDOW }).map((w) => w.incidentId)).not.toEqual(reference('the').map((w) => w.incidentId));
  });

  it('ranks every match again when typing pauses (rankEveryMatch), exactly as a search without the window', () => {
    const search = new SearchIndex(core.db, 10);
    for (const k of ['da', 'the', 'read rep']) {
      expect(matching(k), k).toBeGreaterThan(10);
      const complete = search.incidents(k, { asYouType: true, rankEveryMatch: true });
      expect(complete.map((h) => h.incidentId), k).toEqual(reference(k).map((w) => w.incidentId));
      expect(complete.map((h) => h.rank), k).toEqual(reference(k).map((w) => w.rank));
    }
    // and the window did leave some out, so the two differ
    expect(search.incidents('the', { asYouType: true }).map((h) => h.incidentId)).not.toEqual(reference('the').map((w) => w.incidentId));
  });

  it('ranks every match of a filtered search, even as you type, so a filter never hides an incident', () => {
    const search = new SearchIndex(core.db, 10);
    for (const k of ['da', 'the', 'read rep']) {
      expect(matching(k), k).toBeGreaterThan(10);
      expect(search.incidents(k, { asYouType: true, service: 'checkout' }).map((h) => h.incidentId), k).toEqual(reference(k, { service: 'checkout' }).map((w) => w.incidentId));
    }
  });

  it('does not make a one-letter prefix of the last word of a phrase', () => {
    expect(searchPhrases('payments-d', { asYouType: true })).toEqual(['"payments-d"']);
    expect(searchPhrases('payments-db', { asYouType: true })).toEqual(['"payments-db"*']);
    expect(searchPhrases('read r', { asYouType: true })).toEqual(['"read"', '"r"']);
    expect(searchPhrases('read re', { asYouType: true })).toEqual(['"read"', '"re"*']);
    expect(searchPhrases('"read replica"', { asYouType: true })).toEqual(['"read replica"']);
  });
});
