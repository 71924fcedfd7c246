import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { initial } from '../db/migrations/001-initial.js';
import { MIGRATIONS } from '../db/migrations/index.js';
import { migrate } from '../db/database.js';
import { tempCore } from '../../../test/core/temp-core.js';
import type { Core } from '../open.js';
import { newId } from '../../../shared/domain/ids.js';
import { formatHlc } from '../../../shared/sync/hlc.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});
function setup(now?: () => number) {
  const t = tempCore(now ? { now } : {});
  cleanups.push(t.cleanup);
  return t.core;
}
const hitTexts = (hits: Array<{ snippet: Array<{ text: string }> }>) => hits.map((h) => h.snippet.map((s) => s.text).join(''));
const highlighted = (hits: Array<{ snippet: Array<{ text: string; hit: boolean }> }>) => hits.flatMap((h) => h.snippet.filter((s) => s.hit).map((s) => s.text));

/** Whether a word is anywhere in the index: its terms (fts5vocab) or its stored text. */
function indexHolds(core: Core, word: string): boolean {
  core.db.exec('CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_terms USING fts5vocab(main, search_fts, row)');
  const term = core.db.prepare('SELECT 1 FROM temp.search_terms WHERE term = ?').get(word.toLowerCase());
  const text = core.db.prepare('SELECT 1 FROM search_fts_content WHERE c0 LIKE ?').get(`%${word}%`);
  return term !== undefined || text !== undefined;
}

describe('timeline search', () => {
  it('finds an entry of the incident by a word of its text, with the word highlighted and its cursor', () => {
    const core = setup();
    const { id } = core.incidents.declare({ title: 'API down', severity: 2 });
    const note = core.events.appendLocal(id, 'note', { text: 'the certificate on the gateway expired' });
    core.events.appendLocal(id, 'decision', { text: 'roll back the deploy' });
    const { hits, total } = core.search.timeline(id, 'certificate');
    expect(total).toBe(1);
    expect(hits[0]).toMatchObject({ id: note.id, hlc: note.hlc, kind: 'note' });
    expect(highlighted(hits)).toEqual(['certificate']);
  });

  it('searches every text kind: decisions, hypotheses, actions, updates, minutes and hand-off briefs', () => {
    const core = setup();
    const { id } = core.incidents.declare({ title: 'API down', severity: 2 });
    core.events.appendLocal(id, 'decision', { text: 'zebra decision' });
    core.events.appendLocal(id, 'hypothesis', { text: 'zebra hypothesis' });
    core.events.appendLocal(id, 'action.added', { text: 'zebra action' });
    core.events.appendLocal(id, 'update.posted', { text: 'zebra update' });
    core.events.appendLocal(id, 'minutes.written', { text: 'zebra minutes' });
    core.events.appendLocal(id, 'handoff.offered', { role: 'ic', to: null, brief: 'zebra brief' });
    const kinds = core.search.timeline(id, 'zebra').hits.map((h) => h.kind).sort();
    expect(kinds).toEqual(['action.added', 'decision', 'handoff.offered', 'hypothesis', 'minutes.written', 'update.posted']);
  });

  it('keeps to the one incident', () => {
    const core = setup();
    const a = core.incidents.declare({ title: 'API down', severity: 2 });
    const b = core.incidents.declare({ title: 'DB slow', severity: 3 });
    core.events.appendLocal(a.id, 'note', { text: 'vacuum the table' });
    core.events.appendLocal(b.id, 'note', { text: 'vacuum again' });
    expect(hitTexts(core.search.timeline(a.id, 'vacuum').hits)).toEqual(['vacuum the table']);
  });

  it('lists the newest hit first', () => {
    const core = setup();
    const { id } = core.incidents.declare({ title: 'API down', severity: 2 });
    const older = core.events.appendLocal(id, 'note', { text: 'restart one' });
    const newer = core.events.appendLocal(id, 'note', { text: 'restart two' });
    expect(core.search.timeline(id, 'restart').hits.map((h) => h.id)).toEqual([newer.id, older.id]);
  });

  it('finds by prefix as you type, and by whole words otherwise', () => {
    const core = setup();
    const { id } = core.incidents.declare({ title: 'API down', severity: 2 });
    core.events.appendLocal(id, 'note', { text: 'failover to the replica' });
    expect(core.search.timeline(id, 'failo', { asYouType: true }).total).toBe(1);
    expect(core.search.timeline(id, 'failo').total).toBe(0);
    expect(core.search.timeline(id, 'failo*').total).toBe(1);
  });

  it('finds an edited entry by its new words only', () => {
    const core = setup();
    const { id } = core.incidents.declare({ title: 'API down', severity: 2 });
    const note = core.events.appendLocal(id, 'note', { text: 'blame the firewall' });
    core.events.appendLocal(id, 'entry.edited', { target: note.id, text: 'the load balancer dropped connections' });
    expect(core.search.timeline(id, 'firewall').total).toBe(0);
    expect(core.search.timeline(id, 'balancer').hits.map((h) => h.id)).toEqual([note.id]);
    expect(indexHolds(core, 'firewall')).toBe(false);
  });

  it('forgets a redacted entry: its words are neither found nor left in the index', () => {
    const core = setup();
    const { id } = core.incidents.declare({ title: 'API down', severity: 2 });
    const secret = core.events.appendLocal(id, 'note', { text: 'password hunter2swordfish leaked' });
    core.events.appendLocal(id, 'entry.edited', { target: secret.id, text: 'password hunter2swordfish rotated' });
    expect(core.search.timeline(id, 'hunter2swordfish').total).toBe(1);
    core.events.appendLocal(id, 'entry.redacted', { target: secret.id, reason: 'credential' });
    expect(core.search.timeline(id, 'hunter2swordfish').total).toBe(0);
    expect(core.search.incidents('hunter2swordfish')).toEqual([]);
    expect(indexHolds(core, 'hunter2swordfish')).toBe(false);
  });

  it('indexes a pulled page once, as it ends: new entries found, an edit by its new words, a redaction by none', () => {
    const core = setup();
    const { id } = core.incidents.declare({ title: 'API down', severity: 2 });
    const someone = { id: 'them', name: 'Them' };
    const hlc = (n: number) => formatHlc({ wall: Date.now() + n, counter: 0 });
    const kept = { id: newId(), incidentId: id, hlc: hlc(1), author: someone, kind: 'note', payload: { text: 'the pager storm started at noon' } } as const;
    const edited = { id: newId(), incidentId: id, hlc: hlc(2), author: someone, kind: 'decision', payload: { text: 'restart the firewall' } } as const;
    const secret = { id: newId(), incidentId: id, hlc: hlc(3), author: someone, kind: 'note', payload: { text: 'token hunter2swordfish leaked' } } as const;
    // The edit and the redaction come first, as they may from the hub: their targets follow in the same page.
    core.events.ingest([
      { id: newId(), incidentId: id, hlc: hlc(4), author: someone, kind: 'entry.edited', payload: { target: edited.id, text: 'restart the load balancer' } },
      { id: newId(), incidentId: id, hlc: hlc(5), author: someone, kind: 'entry.redacted', payload: { target: secret.id, reason: 'credential' } },
      kept,
      edited,
      secret,
    ]);
    expect(core.search.timeline(id, 'pager').hits.map((h) => h.id)).toEqual([kept.id]);
    expect(core.search.timeline(id, 'balancer').hits.map((h) => h.id)).toEqual([edited.id]);
    expect(core.search.timeline(id, 'firewall').total).toBe(0);
    expect(indexHolds(core, 'hunter2swordfish')).toBe(false);
    // Nothing is left queued for a later write to index.
    expect(core.db.prepare('SELECT count(*) AS n FROM search_pending').get()).toEqual({ n: 0 });
  });

  it('searches hostile input as text and never throws a syntax error', () => {
    const core = setup();
    const { id } = core.incidents.declare({ title: 'API down', severity: 2 });
    core.events.appendLocal(id, 'note', { text: 'error: "timeout" AND retry* (NEAR) col:umn' });
    for (const q of ['"', '*', '"timeout', 'timeout"', 'AND', 'OR NOT', '(', ')', 'NEAR(', 'col:umn', '^', 'retry*', '-x', 'body:', 'scope : x', '{body}']) {
      expect(() => core.search.timeline(id, q)).not.toThrow(/syntax|fts5/);
      expect(() => core.search.incidents(q)).not.toThrow(/syntax|fts5/);
    }
    expect(core.search.timeline(id, 'AND').total).toBe(1);
    expect(core.search.timeline(id, 'col:umn').total).toBe(1);
  });

  it('refuses a query with no word in it with a sentence', () => {
    const core = setup();
    const { id } = core.incidents.declare({ title: 'API down', severity: 2 });
    expect(() => core.search.timeline(id, '  " * ')).toThrow(expect.objectContaining({ code: 'invalid-input', message: 'type a word to search for' }));
  });
});

describe('incident search', () => {
  it('finds an incident by its title, its summary, its services and its entries, with its reference and status', () => {
    const core = setup();
    const { id, ref } = core.incidents.declare({ title: 'Checkout latency', severity: 2, services: ['payments-api'], summary: 'cards declined in EU' });
    core.events.appendLocal(id, 'minutes.written', { text: 'we agreed to drain the frankfurt pool' });
    for (const q of ['checkout', 'declined', 'payments', 'frankfurt']) {
      expect(core.search.incidents(q)).toMatchObject([{ incidentId: id, ref, title: 'Checkout latency', status: 'triage' }]);
    }
    expect(core.search.incidents('frankfurt')[0]?.match).toMatchObject({ kind: 'entry', entryKind: 'minutes.written' });
  });

  it('follows a retitled incident', () => {
    const core = setup();
    const { id } = core.incidents.declare({ title: 'Checkout latency', severity: 2 });
    core.events.appendLocal(id, 'incident.edited', { title: 'Redis eviction storm' });
    expect(core.search.incidents('checkout')).toEqual([]);
    expect(core.search.incidents('eviction').map((h) => h.incidentId)).toEqual([id]);
  });

  it('ranks the incident that says it most first, once per incident', () => {
    const core = setup();
    const weak = core.incidents.declare({ title: 'Queue backlog', severity: 3 });
    core.events.appendLocal(weak.id, 'note', { text: 'some dns noise among many other words in a long note about nothing in particular' });
    const strong = core.incidents.declare({ title: 'DNS resolution failing', severity: 2 });
    core.events.appendLocal(strong.id, 'note', { text: 'dns dns' });
    const hits = core.search.incidents('dns');
    expect(hits.map((h) => h.incidentId)).toEqual([strong.id, weak.id]);
    expect(hits[0]?.matches).toBe(2);
  });

  it('keeps only incidents with the service given, in any letter case', () => {
    const core = setup();
    const a = core.incidents.declare({ title: 'Disk full', severity: 3, services: ['Search-API'] });
    core.incidents.declare({ title: 'Disk full again', severity: 3, services: ['billing'] });
    expect(core.search.incidents('disk', { service: 'search-api' }).map((h) => h.incidentId)).toEqual([a.id]);
    expect(core.search.incidents('disk', { service: 'nothing' })).toEqual([]);
  });

  it('keeps only incidents declared since the time given', () => {
    let now = Date.UTC(2026, 0, 1);
    const core = setup(() => now);
    const old = core.incidents.declare({ title: 'Disk full', severity: 3 });
    now = Date.UTC(2026, 5, 1);
    const recent = core.incidents.declare({ title: 'Disk full again', severity: 3 });
    expect(core.search.incidents('disk', { since: '2026-03-01T00:00:00Z' }).map((h) => h.incidentId)).toEqual([recent.id]);
    expect(core.search.incidents('disk', { since: '2025-12-01T00:00:00Z' }).map((h) => h.incidentId).sort()).toEqual([old.id, recent.id].sort());
  });
});

describe('similar past incidents', () => {
  it('suggests resolved incidents that share services or words, best first, never the incident itself or an active one', () => {
    const core = setup();
    const both = core.incidents.declare({ title: 'Payments gateway timeouts', severity: 2, services: ['payments'] });
    core.events.appendLocal(both.id, 'action.added', { text: 'raise the gateway pool size' });
    core.events.appendLocal(both.id, 'status.changed', { status: 'resolved' });
    const wordsOnly = core.incidents.declare({ title: 'Gateway timeouts in search', severity: 3, services: ['search'] });
    core.events.appendLocal(wordsOnly.id, 'status.changed', { status: 'closed' });
    const active = core.incidents.declare({ title: 'Gateway timeouts again', severity: 3, services: ['payments'] });
    const unrelated = core.incidents.declare({ title: 'Printer on fire', severity: 4 });
    core.events.appendLocal(unrelated.id, 'status.changed', { status: 'resolved' });

    const now = core.incidents.declare({ title: 'Gateway timeouts', severity: 1, services: ['payments'] });
    const similar = core.search.similar(core.incidents.get(now.id));
    expect(similar.map((s) => s.incidentId)).toEqual([both.id, wordsOnly.id]);
    expect(similar[0]).toMatchObject({ sharedServices: ['payments'], sharedWords: ['gateway', 'timeouts'] });
    // Without a retrospective, its actions stand for the remediation.
    expect(similar[0]?.lessons).toMatchObject({ factors: [], remediation: ['raise the gateway pool size'], fromRetrospective: false });
    expect(similar.map((s) => s.incidentId)).not.toContain(active.id);
  });
});

describe('migration 006', () => {
  it('indexes the entries and incidents a database held before it', () => {
    const core = setup();
    const { id } = core.incidents.declare({ title: 'Checkout latency', severity: 2 });
    core.events.appendLocal(id, 'note', { text: 'kafka consumer lag' });
    // Drop the index and run the migration again over the same data, as an upgrade would.
    core.db.exec('DROP TABLE search_docs; DROP TABLE search_fts; DROP TABLE search_text_kinds; DROP TRIGGER search_entry_added; DROP TRIGGER search_entry_changed; DROP TRIGGER search_entry_removed');
    MIGRATIONS.find((m) => m.name === 'search')!.up(core.db);
    expect(core.search.timeline(id, 'kafka').total).toBe(1);
    expect(core.search.incidents('checkout').map((h) => h.incidentId)).toEqual([id]);
  });

  it('applies to an empty database', () => {
    const db = new Database(':memory:');
    migrate(db, [initial]);
    expect(() => migrate(db)).not.toThrow();
    expect(db.prepare('SELECT count(*) AS n FROM search_docs').get()).toEqual({ n: 0 });
    db.close();
  });
});
