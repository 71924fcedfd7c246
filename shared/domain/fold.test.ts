import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatHlc } from '../sync/hlc.js';
import { EventSchema, type ConnEvent } from './events.js';
import { conflictText, emptyAcc, foldIncident, foldTimeline, headsOf, mergeEvent, project } from './fold.js';

/*
 * The fold is the heart of offline work: every replica folds whatever set of events it has, so
 * the same set must give the same state and timeline whatever the order or duplication. These
 * properties are checked over random event sets, permutations and duplicates.
 */

const INCIDENT = '0190a5c4-0000-7000-8000-000000000001';
const DECLARED_ID = '0190a5c4-0000-7000-8000-0000000000d1';
const T0 = Date.UTC(2026, 10, 28, 9, 0, 0);
const PEOPLE = ['ana', 'bo', 'chen', 'dev'] as const;

function declared(): ConnEvent {
  return {
    id: DECLARED_ID,
    incidentId: INCIDENT,
    hlc: formatHlc({ wall: T0, counter: 0 }),
    author: { id: 'p-ana', name: 'ana' },
    kind: 'incident.declared',
    payload: { title: 'Checkout 5xx', severity: 2, services: ['checkout'] },
  };
}

/** The schema's longest recording (8 h): fc.nat() goes far past it. */
const RECORDING_MAX_MS = 8 * 3600_000;
const arbHlc = fc
  .record({ dt: fc.integer({ min: 1, max: 3_600_000 }), counter: fc.integer({ min: 0, max: 3 }) })
  .map(({ dt, counter }) => formatHlc({ wall: T0 + dt, counter }));
const arbAuthor = fc.constantFrom(...PEOPLE).map((name) => ({ id: `p-${name}`, name }));
const arbText = fc.string({ minLength: 1, maxLength: 12 }).map((s) => `t:${s.trim() || 'x'}`);

/** Raw event material; targets are chosen afterwards from the ids that exist in the set. */
type Spec = { id: string; hlc: string; author: { id: string; name: string }; pick: number; text: string; n: number; flag: boolean };
const arbSpec: fc.Arbitrary<Spec> = fc.record({
  id: fc.uuid({ version: 7 }),
  hlc: arbHlc,
  author: arbAuthor,
  pick: fc.nat(),
  text: arbText,
  n: fc.nat(),
  flag: fc.boolean(),
});

const KINDS = [
  'note', 'decision', 'hypothesis', 'action.added', 'status.changed', 'severity.changed', 'role.assigned',
  'entry.edited', 'entry.pinned', 'entry.redacted', 'action.updated', 'hypothesis.updated', 'update.posted',
  'runbook.attached', 'runbook.step-done', 'call.started', 'attendee.joined', 'call.ended', 'handoff.offered',
  'handoff.accepted', 'incident.edited', 'milestone.set', 'call.planned', 'retro.edited', 'retro.state',
  'recording.started', 'recording.stopped', 'recording.shared', 'transcript.redacted',
] as const;
const STATUSES = ['triage', 'investigating', 'identified', 'monitoring', 'resolved', 'closed'] as const;

/** Builds a valid event set from specs: targets point at earlier entries of a fitting kind. */
function build(specs: Spec[]): ConnEvent[] {
  const out: ConnEvent[] = [declared()];
  const byKind = (k: string) => out.filter((e) => e.kind === k).map((e) => e.id);
  for (const s of specs) {
    const kind = KINDS[s.pick % KINDS.length]!;
    const base = { id: s.id, incidentId: INCIDENT, hlc: s.hlc, author: s.author };
    const texts = out.filter((e) => ['note', 'decision', 'hypothesis', 'action.added'].includes(e.kind)).map((e) => e.id);
    const sup = (ids: string[]) => (s.flag ? ids.slice(0, 2) : []);
    const pickFrom = (ids: string[]) => ids[s.n % ids.length];
    let e: ConnEvent | null = null;
    switch (kind) {
      case 'note':
      case 'decision':
      case 'hypothesis':
      case 'update.posted':
        e = { ...base, kind, payload: { text: s.text } } as ConnEvent;
        break;
      case 'action.added':
        e = { ...base, kind, payload: { text: s.text, owner: PEOPLE[s.n % 4] } };
        break;
      case 'status.changed':
        e = { ...base, kind, payload: { status: STATUSES[s.n % STATUSES.length]! }, supersedes: sup(byKind('status.changed')) };
        break;
      case 'severity.changed':
        e = { ...base, kind, payload: { severity: (s.n % 5) + 1 } };
        break;
      case 'role.assigned':
        e = { ...base, kind, payload: { role: s.n % 2 ? 'commander' : 'comms', person: s.flag ? PEOPLE[s.n % 4]! : null }, supersedes: sup(byKind('role.assigned')) };
        break;
      case 'entry.edited': {
        const t = pickFrom(texts);
        if (t) e = { ...base, kind, payload: { target: t, text: s.text } };
        break;
      }
      case 'entry.pinned': {
        const t = pickFrom(texts);
        if (t) e = { ...base, kind, payload: { target: t, pinned: s.flag } };
        break;
      }
      case 'entry.redacted': {
        const t = pickFrom(texts);
        if (t) e = { ...base, kind, payload: { target: t, reason: `r${s.n % 3}` } };
        break;
      }
      case 'action.updated': {
        const t = pickFrom(byKind('action.added'));
        if (t) e = { ...base, kind, payload: { target: t, owner: s.flag ? PEOPLE[s.n % 4]! : null, state: s.n % 2 ? 'done' : 'open' } };
        break;
      }
      case 'hypothesis.updated': {
        const t = pickFrom(byKind('hypothesis'));
        if (t) e = { ...base, kind, payload: { target: t, state: s.flag ? 'ruled-out' : 'confirmed' } };
        break;
      }
      case 'runbook.attached':
        e = { ...base, kind, payload: { runbookId: 'rb-1', name: 'db-failover', version: 1, steps: [{ key: 's1', text: 'page DBA' }, { key: 's2', text: 'promote replica' }] } };
        break;
      case 'runbook.step-done': {
        const t = pickFrom(byKind('runbook.attached'));
        if (t) e = { ...base, kind, payload: { target: t, step: s.flag ? 's1' : 's2', done: s.n % 3 !== 0 } };
        break;
      }
      case 'call.started':
        e = { ...base, kind, payload: { title: 'bridge' } };
        break;
      case 'attendee.joined':
      case 'call.ended': {
        const t = pickFrom(byKind('call.started'));
        if (t) e = kind === 'call.ended' ? { ...base, kind, payload: { target: t } } : { ...base, kind, payload: { target: t, person: PEOPLE[s.n % 4]! } };
        break;
      }
      case 'call.planned':
        e = { ...base, kind, payload: { at: new Date(Date.UTC(2026, 0, 1) + (s.n % 5) * 1_800_000).toISOString(), lengthMin: 30, attendees: [PEOPLE[s.n % 4]!] } };
        break;
      case 'handoff.offered':
        e = { ...base, kind, payload: { role: 'commander', to: s.flag ? 'bo' : null, brief: s.text } };
        break;
      case 'handoff.accepted': {
        const t = pickFrom(byKind('handoff.offered'));
        if (t) e = { ...base, kind, payload: { target: t } };
        break;
      }
      case 'incident.edited':
        e = { ...base, kind, payload: { title: `Title ${s.text}` } };
        break;
      case 'milestone.set':
        e = { ...base, kind, payload: { milestone: 'impactStartedAt', at: new Date(T0 - s.n * 1000).toISOString() } };
        break;
      case 'retro.edited': {
        // A factor item reused from an earlier retro edit, so edits of one item meet.
        const items = out.filter((o) => o.kind === 'retro.edited' && o.payload.item !== undefined).map((o) => (o.payload as { item: string }).item);
        const item = s.flag && items.length ? pickFrom(items)! : s.id;
        e = s.n % 3 === 0
          ? { ...base, kind, payload: { field: 'summary', text: s.text } }
          : { ...base, kind, payload: { field: 'factor', item, text: s.text, category: s.n % 2 ? 'change' : 'process' } };
        break;
      }
      case 'retro.state':
        e = { ...base, kind, payload: { state: s.flag ? 'published' : 'in-review' } };
        break;
      // Recordings are keyed by their own id: reuse one of an earlier start so stops, shares and
      // redactions meet it, and let two starts of one recording meet too.
      case 'recording.started': {
        const t = pickFrom(byKind('call.started'));
        const recs = out.filter((o) => o.kind === 'recording.started').map((o) => (o.payload as { recordingId: string }).recordingId);
        if (t) e = { ...base, kind, payload: { target: t, recordingId: s.flag && recs.length ? pickFrom(recs)! : s.id, startedAt: new Date(T0 + s.n).toISOString() } };
        break;
      }
      case 'recording.stopped':
      case 'recording.shared': {
        const starts = out.filter((o) => o.kind === 'recording.started');
        const rec = starts.length ? starts[s.n % starts.length] : undefined;
        if (rec) e = { ...base, kind, payload: { target: (rec.payload as { target: string }).target, recordingId: (rec.payload as { recordingId: string }).recordingId, durationMs: s.n % RECORDING_MAX_MS, bytes: (s.n % RECORDING_MAX_MS) * 32 + 44 } } as ConnEvent;
        break;
      }
      case 'transcript.redacted': {
        const starts = out.filter((o) => o.kind === 'recording.started');
        const rec = starts.length ? starts[s.n % starts.length] : undefined;
        if (rec) e = { ...base, kind, payload: { recordingId: (rec.payload as { recordingId: string }).recordingId, startMs: (s.n % 3) * 1000, reason: s.text } };
        break;
      }
    }
    if (e && !out.some((o) => o.id === e.id)) out.push(e);
  }
  return out;
}

const arbEvents = fc.array(arbSpec, { minLength: 0, maxLength: 40 }).map(build);

/** A permutation of the events, with some of them repeated. */
const arbDelivery = arbEvents.chain((events) =>
  fc.tuple(
    fc.constant(events),
    fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
    fc.array(fc.nat({ max: Math.max(0, events.length - 1) }), { maxLength: 10 }),
  ).map(([orig, shuffled, dupIdx]) => ({ orig, delivered: [...shuffled, ...dupIdx.map((i) => orig[i]!)] })),
);

describe('the fold', () => {
  it('generates only events the schema accepts (so the properties test real inputs)', () => {
    fc.assert(
      fc.property(arbEvents, (events) => {
        for (const e of events) expect(EventSchema.safeParse(e).success).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('gives the same incident state for any order and any duplication of the same events', () => {
    fc.assert(
      fc.property(arbDelivery, ({ orig, delivered }) => {
        expect(foldIncident(INCIDENT, delivered)).toEqual(foldIncident(INCIDENT, orig));
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same timeline for any order and any duplication of the same events', () => {
    fc.assert(
      fc.property(arbDelivery, ({ orig, delivered }) => {
        expect(foldTimeline(delivered)).toEqual(foldTimeline(orig));
      }),
      { numRuns: 300 },
    );
  });

  it('merging into a saved accumulator equals folding everything at once (incremental = batch)', () => {
    fc.assert(
      fc.property(arbDelivery, fc.nat(), ({ orig, delivered }, cut) => {
        const k = cut % (delivered.length + 1);
        const acc = emptyAcc(INCIDENT);
        for (const e of delivered.slice(0, k)) mergeEvent(acc, e);
        const reloaded = JSON.parse(JSON.stringify(acc)); // as stored in SQLite
        for (const e of delivered.slice(k)) mergeEvent(reloaded, e);
        expect(project(reloaded)).toEqual(foldIncident(INCIDENT, orig));
      }),
      { numRuns: 200 },
    );
  });

  it('last writer wins by (hlc, id) for the status, whatever the arrival order', () => {
    fc.assert(
      fc.property(arbDelivery, ({ orig, delivered }) => {
        const writes = orig.filter((e) => e.kind === 'status.changed');
        const expected = writes.sort((a, b) => (a.hlc === b.hlc ? (a.id < b.id ? -1 : 1) : a.hlc < b.hlc ? -1 : 1)).at(-1);
        const state = foldIncident(INCIDENT, delivered);
        expect(state.status).toBe(expected ? (expected.payload as { status: string }).status : 'triage');
      }),
      { numRuns: 200 },
    );
  });

  it('a redaction wins and sticks: the redacted text appears nowhere, whatever came before or after', () => {
    fc.assert(
      fc.property(arbDelivery, ({ orig, delivered }) => {
        const redacted = new Set(orig.filter((e) => e.kind === 'entry.redacted').map((e) => (e.payload as { target: string }).target));
        const timeline = foldTimeline(delivered);
        const state = foldIncident(INCIDENT, delivered);
        for (const item of timeline) {
          if (redacted.has(item.id)) {
            expect(item.redacted).toBe(true);
            expect(item.text).toBe('');
          }
        }
        // No text written to a redacted entry (the original or any edit) survives into a view,
        // unless an unredacted entry happens to hold the same text.
        const redactedTexts = orig
          .filter((e) => redacted.has(e.id) || (e.kind === 'entry.edited' && redacted.has(e.payload.target)))
          .map((e) => (e.payload as { text: string }).text);
        const liveTexts = new Set(timeline.filter((i) => !i.redacted).map((i) => i.text));
        const views = JSON.stringify([state.actions, state.hypotheses, state.decisions, timeline.filter((i) => !liveTexts.has(i.text))]);
        for (const t of redactedTexts) if (!liveTexts.has(t)) expect(views).not.toContain(JSON.stringify(t));
      }),
      { numRuns: 300 },
    );
  });
});

describe('concurrent changes', () => {
  const base = declared();
  const assign = (id: string, wall: number, person: string, supersedes: string[]): ConnEvent => ({
    id,
    incidentId: INCIDENT,
    hlc: formatHlc({ wall, counter: 0 }),
    author: { id: `p-${person}`, name: person },
    kind: 'role.assigned',
    payload: { role: 'commander', person },
    supersedes,
  });
  const a = assign('0190a5c4-0000-7000-8000-00000000000a', T0 + 1000, 'ana', []);
  const b = assign('0190a5c4-0000-7000-8000-00000000000b', T0 + 2000, 'bo', []);

  it('shows two IC assignments made without seeing each other as "2 concurrent IC assignments"', () => {
    const state = foldIncident(INCIDENT, [base, b, a]);
    expect(state.roles['commander']?.person).toBe('bo');
    expect(state.conflicts).toEqual([{ field: 'role:commander', label: '2 concurrent IC assignments', values: ['ana', 'bo'] }]);
    // The label is already counted; the line people read says it once.
    expect(conflictText(state.conflicts[0]!)).toBe('2 concurrent IC assignments: ana / bo');
  });

  it('clears the conflict once someone assigns the role having seen both', () => {
    const acc = emptyAcc(INCIDENT);
    for (const e of [base, a, b]) mergeEvent(acc, e);
    const resolve = assign('0190a5c4-0000-7000-8000-00000000000c', T0 + 3000, 'ana', headsOf(acc, 'role:commander'));
    const state = foldIncident(INCIDENT, [base, a, b, resolve]);
    expect(state.conflicts).toEqual([]);
    expect(state.roles['commander']?.person).toBe('ana');
  });
});

describe('action items', () => {
  const action = (id: string, wall: number, kind: 'action.added' | 'action.updated', payload: Record<string, unknown>) =>
    ({ id, incidentId: INCIDENT, hlc: formatHlc({ wall, counter: 0 }), author: { id: 'p-ana', name: 'ana' }, kind, payload }) as ConnEvent;
  const added = action('0190a5c4-0000-7000-8000-0000000000a1', T0 + 1000, 'action.added', { text: 'roll back', owner: 'bo', due: '2026-11-28T10:00:00.000Z' });

  it('takes an owner and a due time away when an update writes null, rather than falling back to the ones it was added with', () => {
    const cleared = action('0190a5c4-0000-7000-8000-0000000000a2', T0 + 2000, 'action.updated', { target: added.id, owner: null, due: null });
    expect(foldIncident(INCIDENT, [declared(), added, cleared]).actions[0]).toMatchObject({ owner: null, due: null });
    const reassigned = action('0190a5c4-0000-7000-8000-0000000000a3', T0 + 3000, 'action.updated', { target: added.id, owner: 'chen' });
    expect(foldIncident(INCIDENT, [declared(), added, cleared, reassigned]).actions[0]).toMatchObject({ owner: 'chen', due: null });
    expect(foldIncident(INCIDENT, [declared(), added]).actions[0]).toMatchObject({ owner: 'bo', due: '2026-11-28T10:00:00.000Z' });
  });
});

describe('redaction and concurrent edits', () => {
  it('drops the conflict between two edits of an entry once it is redacted, so its words do not leak', () => {
    const note: ConnEvent = { id: '0190a5c4-0000-7000-8000-0000000000e1', incidentId: INCIDENT, hlc: formatHlc({ wall: T0 + 1000, counter: 0 }), author: { id: 'p-ana', name: 'ana' }, kind: 'decision', payload: { text: 'card 4111 1111' } };
    const edit = (id: string, text: string, wall: number): ConnEvent => ({ id, incidentId: INCIDENT, hlc: formatHlc({ wall, counter: 0 }), author: { id: 'p-bo', name: 'bo' }, kind: 'entry.edited', payload: { target: note.id, text }, supersedes: [note.id] });
    const e1 = edit('0190a5c4-0000-7000-8000-0000000000e2', 'card 4111 1111 2222', T0 + 2000);
    const e2 = edit('0190a5c4-0000-7000-8000-0000000000e3', 'card 4111 1111 3333', T0 + 2001);
    expect(foldIncident(INCIDENT, [declared(), note, e1, e2]).conflicts).toHaveLength(1);
    const redaction: ConnEvent = { id: '0190a5c4-0000-7000-8000-0000000000e4', incidentId: INCIDENT, hlc: formatHlc({ wall: T0 + 3000, counter: 0 }), author: { id: 'p-ana', name: 'ana' }, kind: 'entry.redacted', payload: { target: note.id, reason: 'card number' } };
    const state = foldIncident(INCIDENT, [declared(), e2, redaction, note, e1]);
    expect(state.conflicts).toEqual([]);
    expect(JSON.stringify(state)).not.toContain('4111');
  });
});

describe('milestones', () => {
  const ev = (id: string, minutes: number, kind: ConnEvent['kind'], payload: unknown): ConnEvent =>
    ({ id, incidentId: INCIDENT, hlc: formatHlc({ wall: T0 + minutes * 60_000, counter: 0 }), author: { id: 'p-ana', name: 'ana' }, kind, payload }) as ConnEvent;
  const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

  it.each([
    {
      name: 'a plain walk through the lifecycle',
      events: [ev('0190a5c4-0000-7000-8000-000000000101', 3, 'status.changed', { status: 'investigating' }), ev('0190a5c4-0000-7000-8000-000000000102', 20, 'status.changed', { status: 'monitoring' }), ev('0190a5c4-0000-7000-8000-000000000103', 45, 'status.changed', { status: 'resolved' })],
      expected: { impactStartedAt: at(0), detectedAt: at(0), acknowledgedAt: at(3), mitigatedAt: at(20), resolvedAt: at(45) },
    },
    {
      name: 'acknowledged by a commander being named before any status change',
      events: [ev('0190a5c4-0000-7000-8000-000000000201', 2, 'role.assigned', { role: 'commander', person: 'bo' }), ev('0190a5c4-0000-7000-8000-000000000202', 9, 'status.changed', { status: 'identified' })],
      expected: { impactStartedAt: at(0), detectedAt: at(0), acknowledgedAt: at(2), mitigatedAt: null, resolvedAt: null },
    },
    {
      // The declaration already made ana commander: naming herself acknowledges nothing.
      name: 'not acknowledged by the declarer naming themselves commander',
      events: [ev('0190a5c4-0000-7000-8000-000000000211', 0.1, 'role.assigned', { role: 'commander', person: 'ana' }), ev('0190a5c4-0000-7000-8000-000000000212', 9, 'status.changed', { status: 'identified' })],
      expected: { impactStartedAt: at(0), detectedAt: at(0), acknowledgedAt: at(9), mitigatedAt: null, resolvedAt: null },
    },
    {
      name: 'acknowledged by a note, the first human act after declaring',
      events: [ev('0190a5c4-0000-7000-8000-000000000221', 4, 'note', { text: 'looking' }), ev('0190a5c4-0000-7000-8000-000000000222', 9, 'status.changed', { status: 'identified' })],
      expected: { impactStartedAt: at(0), detectedAt: at(0), acknowledgedAt: at(4), mitigatedAt: null, resolvedAt: null },
    },
    {
      name: 'not acknowledged by a hand-set milestone, which corrects the record rather than acts',
      events: [ev('0190a5c4-0000-7000-8000-000000000231', 1, 'milestone.set', { milestone: 'impactStartedAt', at: at(-30) }), ev('0190a5c4-0000-7000-8000-000000000232', 6, 'entry.pinned', { target: DECLARED_ID, pinned: true })],
      expected: { impactStartedAt: at(-30), detectedAt: at(0), acknowledgedAt: at(6), mitigatedAt: null, resolvedAt: null },
    },
    {
      name: 'an acknowledgement set by hand wins over the first act',
      events: [ev('0190a5c4-0000-7000-8000-000000000241', 4, 'note', { text: 'looking' }), ev('0190a5c4-0000-7000-8000-000000000242', 30, 'milestone.set', { milestone: 'acknowledgedAt', at: at(2) })],
      expected: { impactStartedAt: at(0), detectedAt: at(0), acknowledgedAt: at(2), mitigatedAt: null, resolvedAt: null },
    },
    {
      // Impact began when it was detected unless someone says otherwise, so it moves with a back-dated detection.
      name: 'a back-dated detection moves the derived impact start with it',
      events: [ev('0190a5c4-0000-7000-8000-000000000251', 5, 'milestone.set', { milestone: 'detectedAt', at: at(-20) })],
      expected: { impactStartedAt: at(-20), detectedAt: at(-20), acknowledgedAt: null, mitigatedAt: null, resolvedAt: null },
    },
    {
      name: 'hand-set mitigation and resolution win over the status history',
      events: [
        ev('0190a5c4-0000-7000-8000-000000000261', 10, 'status.changed', { status: 'resolved' }),
        ev('0190a5c4-0000-7000-8000-000000000262', 20, 'milestone.set', { milestone: 'mitigatedAt', at: at(7) }),
        ev('0190a5c4-0000-7000-8000-000000000263', 21, 'milestone.set', { milestone: 'resolvedAt', at: at(9) }),
      ],
      expected: { impactStartedAt: at(0), detectedAt: at(0), acknowledgedAt: at(10), mitigatedAt: at(7), resolvedAt: at(9) },
    },
    {
      // Reopened to investigating, it was not mitigated until the second resolution either.
      name: 'a reopened incident is resolved (and mitigated) only at its latest resolution',
      events: [ev('0190a5c4-0000-7000-8000-000000000301', 10, 'status.changed', { status: 'resolved' }), ev('0190a5c4-0000-7000-8000-000000000302', 30, 'status.changed', { status: 'investigating' }), ev('0190a5c4-0000-7000-8000-000000000303', 50, 'status.changed', { status: 'resolved' })],
      expected: { impactStartedAt: at(0), detectedAt: at(0), acknowledgedAt: at(10), mitigatedAt: at(50), resolvedAt: at(50) },
    },
    {
      name: 'a resolve undone seconds later leaves no mitigation or resolution behind',
      events: [
        ev('0190a5c4-0000-7000-8000-000000000601', 4, 'status.changed', { status: 'identified' }),
        ev('0190a5c4-0000-7000-8000-000000000602', 12, 'status.changed', { status: 'resolved' }),
        ev('0190a5c4-0000-7000-8000-000000000603', 12.1, 'status.changed', { status: 'identified' }),
      ],
      expected: { impactStartedAt: at(0), detectedAt: at(0), acknowledgedAt: at(4), mitigatedAt: null, resolvedAt: null },
    },
    {
      name: 'monitoring then resolved keeps the first monitoring time',
      events: [
        ev('0190a5c4-0000-7000-8000-000000000701', 3, 'status.changed', { status: 'investigating' }),
        ev('0190a5c4-0000-7000-8000-000000000702', 20, 'status.changed', { status: 'monitoring' }),
        ev('0190a5c4-0000-7000-8000-000000000703', 45, 'status.changed', { status: 'resolved' }),
        ev('0190a5c4-0000-7000-8000-000000000704', 60, 'status.changed', { status: 'closed' }),
      ],
      expected: { impactStartedAt: at(0), detectedAt: at(0), acknowledgedAt: at(3), mitigatedAt: at(20), resolvedAt: at(45) },
    },
    {
      name: 'resolved back to monitoring keeps the earlier mitigation and drops the resolution',
      events: [
        ev('0190a5c4-0000-7000-8000-000000000801', 20, 'status.changed', { status: 'monitoring' }),
        ev('0190a5c4-0000-7000-8000-000000000802', 30, 'status.changed', { status: 'resolved' }),
        ev('0190a5c4-0000-7000-8000-000000000803', 40, 'status.changed', { status: 'monitoring' }),
      ],
      expected: { impactStartedAt: at(0), detectedAt: at(0), acknowledgedAt: at(20), mitigatedAt: at(20), resolvedAt: null },
    },
    {
      name: 'resolved, reopened, then mitigated again is mitigated at the later time',
      events: [
        ev('0190a5c4-0000-7000-8000-000000000901', 10, 'status.changed', { status: 'resolved' }),
        ev('0190a5c4-0000-7000-8000-000000000902', 15, 'status.changed', { status: 'investigating' }),
        ev('0190a5c4-0000-7000-8000-000000000903', 40, 'status.changed', { status: 'monitoring' }),
        ev('0190a5c4-0000-7000-8000-000000000904', 55, 'status.changed', { status: 'resolved' }),
      ],
      expected: { impactStartedAt: at(0), detectedAt: at(0), acknowledgedAt: at(10), mitigatedAt: at(40), resolvedAt: at(55) },
    },
    {
      name: 'a closed incident reopened to identified is no longer mitigated',
      events: [
        ev('0190a5c4-0000-7000-8000-000000000a01', 10, 'status.changed', { status: 'monitoring' }),
        ev('0190a5c4-0000-7000-8000-000000000a02', 30, 'status.changed', { status: 'closed' }),
        ev('0190a5c4-0000-7000-8000-000000000a03', 90, 'status.changed', { status: 'identified' }),
      ],
      expected: { impactStartedAt: at(0), detectedAt: at(0), acknowledgedAt: at(10), mitigatedAt: null, resolvedAt: null },
    },
    {
      name: 'an explicit impact start overrides the derived one',
      events: [ev('0190a5c4-0000-7000-8000-000000000401', 5, 'milestone.set', { milestone: 'impactStartedAt', at: at(-12) })],
      expected: { impactStartedAt: at(-12), detectedAt: at(0), acknowledgedAt: null, mitigatedAt: null, resolvedAt: null },
    },
  ])('$name', ({ events, expected }) => {
    expect(foldIncident(INCIDENT, [declared(), ...events]).milestones).toEqual(expected);
    // The milestones come from the (hlc, id) order, never from the order events arrived in.
    expect(foldIncident(INCIDENT, [...events].reverse().concat(declared())).milestones).toEqual(expected);
  });

  it('owes a SEV1 stakeholder update 5 minutes after declaring, then every 20 after the last one', () => {
    const sev1 = { ...declared(), payload: { title: 'Down', severity: 1, services: [] } } as ConnEvent;
    expect(foldIncident(INCIDENT, [sev1]).nextUpdateDueAt).toBe(at(5));
    const posted = ev('0190a5c4-0000-7000-8000-000000000501', 4, 'update.posted', { text: 'We are investigating' });
    expect(foldIncident(INCIDENT, [sev1, posted]).nextUpdateDueAt).toBe(at(24));
    const resolved = ev('0190a5c4-0000-7000-8000-000000000502', 30, 'status.changed', { status: 'resolved' });
    expect(foldIncident(INCIDENT, [sev1, posted, resolved]).nextUpdateDueAt).toBeNull();
  });
});

describe('accepting a hand-off takes the role', () => {
  const id = (n: number) => `0190a5c4-0000-7000-8000-${String(n).padStart(12, '0')}`;
  const at = (min: number) => formatHlc({ wall: T0 + min * 60_000, counter: 0 });
  const person = (name: string) => ({ id: `p-${name}`, name });
  const assign = (n: number, min: number, role: string, who: string | null, supersedes?: string[]): ConnEvent => ({
    id: id(n), incidentId: INCIDENT, hlc: at(min), author: person('ana'), kind: 'role.assigned', payload: { role, person: who }, ...(supersedes ? { supersedes } : {}),
  });
  const offer = (n: number, min: number, role: string, to: string | null): ConnEvent => ({
    id: id(n), incidentId: INCIDENT, hlc: at(min), author: person('ana'), kind: 'handoff.offered', payload: { role, to, brief: 'over to you' },
  });
  const accept = (n: number, min: number, offerId: string, by: string, supersedes?: string[]): ConnEvent => ({
    id: id(n), incidentId: INCIDENT, hlc: at(min), author: person(by), kind: 'handoff.accepted', payload: { target: offerId }, ...(supersedes ? { supersedes } : {}),
  });

  const cases: Array<{ name: string; events: ConnEvent[]; role: string; holder: string | null; conflicts: number }> = [
    {
      name: 'the named person accepting becomes the holder, with the acceptance as the write',
      events: [assign(1, 1, 'commander', 'ana'), offer(2, 5, 'commander', 'bo'), accept(3, 9, id(2), 'bo', [id(1)])],
      role: 'commander', holder: 'bo', conflicts: 0,
    },
    {
      name: 'anyone accepting an open offer takes the role',
      events: [assign(1, 1, 'comms', 'ana'), offer(2, 5, 'comms', null), accept(3, 9, id(2), 'chen', [id(1)])],
      role: 'comms', holder: 'chen', conflicts: 0,
    },
    {
      name: 'an offer nobody accepted changes nothing',
      events: [assign(1, 1, 'commander', 'ana'), offer(2, 5, 'commander', 'bo')],
      role: 'commander', holder: 'ana', conflicts: 0,
    },
    {
      name: 'a role assignment after the acceptance (having seen it) wins',
      events: [assign(1, 1, 'commander', 'ana'), offer(2, 5, 'commander', 'bo'), accept(3, 9, id(2), 'bo', [id(1)]), assign(4, 12, 'commander', 'dev', [id(3)])],
      role: 'commander', holder: 'dev', conflicts: 0,
    },
    {
      name: 'an acceptance later than a concurrent assignment wins by (hlc, id), and the clash is shown',
      events: [assign(1, 1, 'commander', 'ana'), offer(2, 5, 'commander', 'bo'), assign(4, 7, 'commander', 'dev', [id(1)]), accept(3, 9, id(2), 'bo', [id(1)])],
      role: 'commander', holder: 'bo', conflicts: 1,
    },
    {
      name: 'accepting an offer of one role leaves other roles alone',
      events: [assign(1, 1, 'commander', 'ana'), offer(2, 5, 'scribe', null), accept(3, 9, id(2), 'chen')],
      role: 'commander', holder: 'ana', conflicts: 0,
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      for (const order of [c.events, [...c.events].reverse()]) {
        const state = foldIncident(INCIDENT, [declared(), ...order]);
        expect(state.roles[c.role]?.person ?? null).toBe(c.holder);
        expect(state.conflicts.filter((x) => x.field === `role:${c.role}`)).toHaveLength(c.conflicts);
      }
    });
  }

  it('records the acceptance as the write: since is its time, by is its id', () => {
    const state = foldIncident(INCIDENT, [declared(), offer(2, 5, 'commander', 'bo'), accept(3, 9, id(2), 'bo')]);
    expect(state.roles['commander']).toEqual({ person: 'bo', since: new Date(T0 + 9 * 60_000).toISOString(), by: id(3) });
  });

  it('the acceptance counts among the role\'s heads once its offer is known, in any arrival order', () => {
    const events = [assign(1, 1, 'commander', 'ana'), offer(2, 5, 'commander', 'bo'), accept(3, 9, id(2), 'bo', [id(1)])];
    for (const order of [events, [...events].reverse(), [events[2]!, events[0]!, events[1]!]]) {
      const acc = emptyAcc(INCIDENT);
      for (const e of order) mergeEvent(acc, e);
      expect(headsOf(acc, 'role:commander')).toEqual([id(3)]);
    }
  });
});
