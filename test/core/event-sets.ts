import fc from 'fast-check';
import type { ConnEvent } from '../../shared/domain/events.js';
import { formatHlc } from '../../shared/sync/hlc.js';

/*
 * Random but valid event sets for one incident, for checking the SQLite projections against
 * the pure fold. Targets always point at earlier entries of a fitting kind, so edits, pins and
 * redactions hit real entries — and, once shuffled, often arrive before them.
 */

export const INCIDENT = '0190a5c4-0000-7000-8000-00000000000a';
const T0 = Date.UTC(2026, 10, 28, 9, 0, 0);
const PEOPLE = ['ana', 'bo', 'chen'] as const;
const STATUSES = ['triage', 'investigating', 'identified', 'monitoring', 'resolved'] as const;
const KINDS = [
  'note', 'decision', 'hypothesis', 'action.added', 'handoff.offered', 'status.changed', 'severity.changed', 'role.assigned',
  'entry.edited', 'entry.pinned', 'entry.redacted', 'action.updated', 'entry.edited', 'entry.redacted',
] as const;

interface Spec {
  hlc: string;
  who: number;
  pick: number;
  n: number;
  text: string;
  flag: boolean;
}

const arbSpec: fc.Arbitrary<Spec> = fc.record({
  // A narrow range of stamps makes ties common, so the id tie-break is exercised.
  hlc: fc.record({ dt: fc.integer({ min: 1, max: 50 }), c: fc.integer({ min: 0, max: 2 }) }).map(({ dt, c }) => formatHlc({ wall: T0 + dt, counter: c })),
  who: fc.nat(2),
  pick: fc.nat(),
  n: fc.nat(),
  text: fc.string({ minLength: 1, maxLength: 8 }).map((s) => `w ${s}`),
  flag: fc.boolean(),
});

function idOf(i: number): string {
  return `0190a5c4-0000-7000-8000-${(0xe0000 + i).toString(16).padStart(12, '0')}`;
}

export function declaredEvent(): ConnEvent {
  return {
    id: idOf(0),
    incidentId: INCIDENT,
    hlc: formatHlc({ wall: T0, counter: 0 }),
    author: { id: 'p-ana', name: 'ana' },
    kind: 'incident.declared',
    payload: { title: 'Checkout 5xx', severity: 2, services: ['checkout'] },
  };
}

function build(specs: Spec[]): ConnEvent[] {
  const out: ConnEvent[] = [declaredEvent()];
  const ids = (kinds: string[]) => out.filter((e) => kinds.includes(e.kind)).map((e) => e.id);
  specs.forEach((s, i) => {
    const name = PEOPLE[s.who]!;
    const base = { id: idOf(i + 1), incidentId: INCIDENT, hlc: s.hlc, author: { id: `p-${name}`, name } };
    const kind = KINDS[s.pick % KINDS.length]!;
    const entries = ids(['note', 'decision', 'hypothesis', 'action.added', 'handoff.offered', 'status.changed']);
    const target = entries[s.n % Math.max(1, entries.length)];
    const sameField = (k: string) => (s.flag ? ids([k]).slice(-2) : []);
    let e: ConnEvent | null = null;
    switch (kind) {
      case 'note':
      case 'decision':
      case 'hypothesis':
        e = { ...base, kind, payload: { text: s.text } } as ConnEvent;
        break;
      case 'action.added':
        e = { ...base, kind, payload: { text: s.text, owner: PEOPLE[s.n % 3]! } };
        break;
      case 'handoff.offered':
        e = { ...base, kind, payload: { role: 'commander', to: null, brief: s.text } };
        break;
      case 'status.changed':
        e = { ...base, kind, payload: { status: STATUSES[s.n % STATUSES.length]! }, supersedes: sameField('status.changed') };
        break;
      case 'severity.changed':
        e = { ...base, kind, payload: { severity: (s.n % 5) + 1 } };
        break;
      case 'role.assigned':
        e = { ...base, kind, payload: { role: 'commander', person: s.flag ? name : null }, supersedes: sameField('role.assigned') };
        break;
      case 'entry.edited':
        if (target) e = { ...base, kind, payload: { target, text: s.text } };
        break;
      case 'entry.pinned':
        if (target) e = { ...base, kind, payload: { target, pinned: s.flag } };
        break;
      case 'entry.redacted':
        if (target) e = { ...base, kind, payload: { target, reason: s.flag ? 'secret' : 'pii' } };
        break;
      case 'action.updated': {
        const actions = ids(['action.added']);
        const t = actions[s.n % Math.max(1, actions.length)];
        if (t) e = { ...base, kind, payload: s.flag ? { target: t, text: s.text } : { target: t, state: 'done', owner: name } };
        break;
      }
    }
    if (e) out.push(e);
  });
  return out;
}

/** An event set, and an arrival: a shuffled copy with duplicates, cut into ingest batches. */
export const arbArrival = fc
  .array(arbSpec, { minLength: 1, maxLength: 40 })
  .map(build)
  .chain((events) =>
    fc.record({
      events: fc.constant(events),
      order: fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
      dupes: fc.array(fc.nat(events.length - 1), { maxLength: 6 }),
      cuts: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 10 }),
    }),
  )
  .map(({ events, order, dupes, cuts }) => {
    const arrival = [...order, ...dupes.map((i) => events[i]!)];
    const batches: ConnEvent[][] = [];
    let at = 0;
    for (let i = 0; at < arrival.length; i++) {
      const size = cuts[i % cuts.length]!;
      batches.push(arrival.slice(at, at + size));
      at += size;
    }
    return { events, batches };
  });
