import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatHlc } from '../sync/hlc.js';
import { EventSchema, PAYLOADS, type ConnEvent, type PayloadInputOf } from './events.js';
import { emptyAcc, foldIncident, mergeEvent, type FoldAcc } from './fold.js';
import { projectRetro, type Retrospective } from './retro.js';

/*
 * Two cockpits edit one retrospective, offline from each other, then exchange their events. The
 * merged document must be the same on both, whatever order the events arrive in, and neither
 * person's added items may be lost.
 */

const INCIDENT = '0190a5c4-0000-7000-8000-000000000001';
const T0 = Date.UTC(2026, 10, 28, 9, 0, 0);
let seq = 0;
const idAt = (n: number) => `0190a5c4-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;

function ev<K extends 'retro.edited' | 'retro.state' | 'action.added' | 'incident.declared'>(
  kind: K,
  payload: PayloadInputOf<K>,
  opts: { who?: string; at?: number; id?: string; supersedes?: string[] } = {},
): ConnEvent {
  seq += 1;
  const who = opts.who ?? 'ana';
  return EventSchema.parse({
    id: opts.id ?? idAt(0x100000 + seq),
    incidentId: INCIDENT,
    hlc: formatHlc({ wall: T0 + (opts.at ?? seq) * 1000, counter: 0 }),
    author: { id: `p-${who}`, name: who },
    kind,
    payload,
    ...(opts.supersedes ? { supersedes: opts.supersedes } : {}),
  });
}

function retroOf(events: ConnEvent[]): Retrospective {
  const acc: FoldAcc = emptyAcc(INCIDENT);
  for (const e of events) mergeEvent(acc, e);
  return projectRetro(acc);
}

describe('the retrospective as events', () => {
  it('keeps both factors when two people add one each at the same time', () => {
    const ana = ev('retro.edited', { field: 'factor', item: idAt(1), text: 'The canary covered 1% of traffic', category: 'detection' }, { who: 'ana', at: 10 });
    const bo = ev('retro.edited', { field: 'factor', item: idAt(2), text: 'The deploy skipped the staging soak', category: 'change' }, { who: 'bo', at: 10 });
    const retro = retroOf([bo, ana]);
    expect(retro.factors.map((f) => [f.text, f.category, f.addedBy])).toEqual([
      ['The canary covered 1% of traffic', 'detection', 'ana'],
      ['The deploy skipped the staging soak', 'change', 'bo'],
    ]);
  });

  it('takes the later summary and lists the other as a concurrent edit', () => {
    const a = ev('retro.edited', { field: 'summary', text: 'Checkout failed for 20 minutes.' }, { who: 'ana', at: 10 });
    const b = ev('retro.edited', { field: 'summary', text: 'Checkout returned 502s for 20 minutes.' }, { who: 'bo', at: 11 });
    const retro = retroOf([b, a]);
    expect(retro.summary).toMatchObject({ text: 'Checkout returned 502s for 20 minutes.', by: 'bo' });
    expect(retro.conflicts).toEqual([{ field: 'retro:summary', label: '2 concurrent summary edits', values: ['Checkout failed for 20 minutes.', 'Checkout returned 502s for 20 minutes.'] }]);
  });

  it('shows no conflict once a later edit has seen both', () => {
    const a = ev('retro.edited', { field: 'summary', text: 'one' }, { at: 10 });
    const b = ev('retro.edited', { field: 'summary', text: 'two' }, { who: 'bo', at: 10 });
    const c = ev('retro.edited', { field: 'summary', text: 'both' }, { at: 12, supersedes: [a.id, b.id] });
    expect(retroOf([a, b, c])).toMatchObject({ summary: { text: 'both' }, conflicts: [] });
  });

  it('edits a factor\'s words and category separately, so concurrent changes of each both stand', () => {
    const item = idAt(3);
    const add = ev('retro.edited', { field: 'factor', item, text: 'Retry storm', category: 'other' }, { at: 1 });
    const words = ev('retro.edited', { field: 'factor', item, text: 'Clients retried without backoff' }, { who: 'ana', at: 5 });
    const category = ev('retro.edited', { field: 'factor', item, category: 'dependency' }, { who: 'bo', at: 5 });
    expect(retroOf([category, add, words]).factors).toMatchObject([{ id: item, text: 'Clients retried without backoff', category: 'dependency', addedBy: 'ana' }]);
  });

  it('removes an item, and a later restore brings it back', () => {
    const item = idAt(4);
    const add = ev('retro.edited', { field: 'went-well', item, text: 'Paging reached the owner in 1 minute' }, { at: 1 });
    const remove = ev('retro.edited', { field: 'went-well', item, removed: true }, { at: 2 });
    expect(retroOf([add, remove]).wentWell).toEqual([]);
    const restore = ev('retro.edited', { field: 'went-well', item, removed: false }, { at: 3 });
    expect(retroOf([restore, add, remove]).wentWell.map((i) => i.text)).toEqual(['Paging reached the owner in 1 minute']);
  });

  it('links only the incident\'s own action items as remediation, in the order they were linked', () => {
    const declared = ev('incident.declared', { title: 'x', severity: 2 }, { at: 0, id: INCIDENT });
    const action1 = ev('action.added', { text: 'Add backoff to the client' }, { at: 1 });
    const action2 = ev('action.added', { text: 'Alert on retry rate' }, { at: 2 });
    const link2 = ev('retro.edited', { field: 'remediation', target: action2.id, linked: true }, { at: 3 });
    const link1 = ev('retro.edited', { field: 'remediation', target: action1.id, linked: true }, { at: 4 });
    const stranger = ev('retro.edited', { field: 'remediation', target: idAt(999), linked: true }, { at: 5 });
    const unlink1 = ev('retro.edited', { field: 'remediation', target: action1.id, linked: false }, { at: 6 });
    expect(retroOf([stranger, link1, link2, action1, action2, declared]).remediation).toEqual([action2.id, action1.id]);
    expect(retroOf([stranger, link1, link2, action1, action2, declared, unlink1]).remediation).toEqual([action2.id]);
  });

  it('records who moved it to review or published it, and when; the incident state carries that status', () => {
    const review = ev('retro.state', { state: 'in-review' }, { who: 'bo', at: 20 });
    const publish = ev('retro.state', { state: 'published' }, { who: 'ana', at: 30 });
    expect(retroOf([publish, review]).status).toEqual({ state: 'published', by: 'ana', at: new Date(T0 + 30_000).toISOString() });
    expect(foldIncident(INCIDENT, [review]).retro).toMatchObject({ state: 'in-review', by: 'bo' });
    expect(retroOf([]).status).toEqual({ state: 'draft', by: null, at: null });
  });

  it('refuses malformed edits with a sentence', () => {
    const bad = [
      { field: 'summary' },
      { field: 'summary', text: 'x', item: idAt(1) },
      { field: 'factor', text: 'no item' },
      { field: 'factor', item: idAt(1) },
      { field: 'went-well', item: idAt(1), category: 'change' },
      { field: 'factor', item: idAt(1), text: '', category: 'change' },
      { field: 'factor', item: idAt(1), text: 'x', category: 'blame' },
      { field: 'remediation', target: idAt(1) },
    ];
    for (const p of bad) expect(PAYLOADS['retro.edited'].safeParse(p).success, JSON.stringify(p)).toBe(false);
    expect(PAYLOADS['retro.edited'].safeParse({ field: 'summary', text: '' }).success).toBe(true);
  });

  describe('two cockpits editing at once', () => {
    const FIELDS = ['summary', 'impact', 'factor', 'went-well', 'was-hard', 'state'] as const;
    // Each person's edits, with items drawn from a small pool so edits of one item meet.
    const arbEdit = fc.record({
      who: fc.constantFrom('ana', 'bo'),
      field: fc.constantFrom(...FIELDS),
      item: fc.integer({ min: 1, max: 4 }),
      at: fc.integer({ min: 1, max: 30 }),
      text: fc.string({ minLength: 1, maxLength: 8 }).map((s) => `w${s.trim()}`),
      removed: fc.boolean(),
      category: fc.constantFrom('detection', 'change', 'dependency', 'capacity', 'process', 'other'),
    });
    type Edit = { who: string; field: (typeof FIELDS)[number]; item: number; at: number; text: string; removed: boolean; category: string };
    const toEvent = (e: Edit): ConnEvent => {
      const opts = { who: e.who, at: e.at };
      if (e.field === 'state') return ev('retro.state', { state: e.removed ? 'published' : 'in-review' }, opts);
      if (e.field === 'summary' || e.field === 'impact') return ev('retro.edited', { field: e.field, text: e.text }, opts);
      const item = idAt(e.item);
      if (e.removed && e.item % 2 === 0) return ev('retro.edited', { field: e.field, item, removed: true }, opts);
      return ev('retro.edited', e.field === 'factor' ? { field: e.field, item, text: e.text, category: e.category as 'other' } : { field: e.field, item, text: e.text }, opts);
    };

    it('merge to the same document on both, whatever order each receives the other\'s edits in', () => {
      fc.assert(
        fc.property(fc.array(arbEdit, { maxLength: 25 }), fc.array(arbEdit, { maxLength: 25 }), fc.integer(), (anaEdits, boEdits, seed) => {
          const ana = anaEdits.map((e) => toEvent({ ...e, who: 'ana' }));
          const bo = boEdits.map((e) => toEvent({ ...e, who: 'bo' }));
          // Ana's cockpit has her edits then receives Bo's; Bo's the other way, shuffled and with repeats.
          const onAna = [...ana, ...bo];
          const shuffled = [...bo, ...ana, ...ana.slice(0, 3)].sort((x, y) => ((x.id.charCodeAt(30) * 31 + seed) % 7) - ((y.id.charCodeAt(30) * 31 + seed) % 7));
          expect(retroOf(shuffled)).toEqual(retroOf(onAna));
          expect(retroOf([...onAna].reverse())).toEqual(retroOf(onAna));
        }),
        { numRuns: 300 },
      );
    });

    it('never lose an item either person added and nobody removed', () => {
      fc.assert(
        fc.property(fc.array(arbEdit, { maxLength: 20 }), fc.array(arbEdit, { maxLength: 20 }), (anaEdits, boEdits) => {
          const events = [...anaEdits.map((e) => toEvent({ ...e, who: 'ana' })), ...boEdits.map((e) => toEvent({ ...e, who: 'bo' }))];
          const retro = retroOf(events.reverse());
          const added = new Set<string>();
          const removed = new Set<string>();
          for (const e of events) {
            if (e.kind !== 'retro.edited' || e.payload.item === undefined) continue;
            const key = `${e.payload.field}:${e.payload.item}`;
            if (e.payload.removed === true) removed.add(key);
            else if (e.payload.text !== undefined) added.add(key);
          }
          const shown = new Set([
            ...retro.factors.map((i) => `factor:${i.id}`),
            ...retro.wentWell.map((i) => `went-well:${i.id}`),
            ...retro.wasHard.map((i) => `was-hard:${i.id}`),
          ]);
          for (const key of added) if (!removed.has(key)) expect(shown.has(key), key).toBe(true);
        }),
        { numRuns: 200 },
      );
    });
  });
});
