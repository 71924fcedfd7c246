import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnEvent } from '../../../shared/domain/events.js';
import { formatHlc } from '../../../shared/sync/hlc.js';
import { tempCore } from '../../../test/core/temp-core.js';
import type { Core } from '../open.js';

const INCIDENT = '0190a5c4-0000-7000-8000-0000000000aa';
const T0 = Date.UTC(2026, 10, 28, 9);
const idOf = (i: number) => `0190a5c4-0000-7000-8000-${(0xb00000 + i).toString(16).padStart(12, '0')}`;

let core: Core;
let cleanup: () => Promise<void>;
/** 1000 rows: pairs share a stamp so the id breaks ties; every 10th is a decision by bo, every 7th pinned. */
beforeAll(() => {
  ({ core, cleanup } = tempCore());
  const events: ConnEvent[] = [
    { id: idOf(0), incidentId: INCIDENT, hlc: formatHlc({ wall: T0, counter: 0 }), author: { id: 'p-ana', name: 'ana' }, kind: 'incident.declared', payload: { title: 'x', severity: 3, services: [] } },
  ];
  for (let i = 1; i < 1000; i++) {
    const hlc = formatHlc({ wall: T0 + Math.floor(i / 2) * 1000, counter: 1 });
    const author = i % 10 === 0 ? { id: 'p-bo', name: 'bo' } : { id: 'p-ana', name: 'ana' };
    events.push({ id: idOf(i), incidentId: INCIDENT, hlc, author, kind: i % 10 === 0 ? 'decision' : 'note', payload: { text: `entry ${i}` } });
    if (i % 7 === 0) events.push({ id: idOf(5000 + i), incidentId: INCIDENT, hlc, author, kind: 'entry.pinned', payload: { target: idOf(i), pinned: true } });
  }
  core.events.ingest(events);
});
afterAll(() => cleanup());

const texts = (items: Array<{ text: string }>) => items.map((i) => i.text);

describe('timeline windows', () => {
  it('without a cursor are the newest rows, oldest first', () => {
    const w = core.timeline({ incidentId: INCIDENT, limit: 3 });
    expect(texts(w.items)).toEqual(['entry 997', 'entry 998', 'entry 999']);
    expect(w).toMatchObject({ hasBefore: true, hasAfter: false });
  });

  it('page backwards from a cursor without skipping or repeating rows that share a stamp', () => {
    const seen: string[] = [];
    let w = core.timeline({ incidentId: INCIDENT, limit: 7 });
    seen.unshift(...w.items.map((i) => i.id));
    while (w.hasBefore) {
      const first = w.items[0]!;
      w = core.timeline({ incidentId: INCIDENT, limit: 7, before: { hlc: first.hlc, id: first.id } });
      seen.unshift(...w.items.map((i) => i.id));
    }
    expect(seen).toEqual(Array.from({ length: 1000 }, (_, i) => idOf(i)));
  });

  it('page forwards from a cursor', () => {
    const at = core.timeline({ incidentId: INCIDENT, limit: 1, before: { hlc: formatHlc({ wall: T0 + 100_000, counter: 1 }), id: idOf(200) } }).items[0]!;
    const w = core.timeline({ incidentId: INCIDENT, limit: 2, after: { hlc: at.hlc, id: at.id } });
    expect(texts(w.items)).toEqual(['entry 200', 'entry 201']);
    expect(w).toMatchObject({ hasBefore: true, hasAfter: true });
  });

  it('filter by kind, author and pinned', () => {
    expect(texts(core.timeline({ incidentId: INCIDENT, limit: 2, kinds: ['decision'] }).items)).toEqual(['entry 980', 'entry 990']);
    expect(core.timeline({ incidentId: INCIDENT, limit: 500, author: 'bo' }).items).toHaveLength(99);
    const pinned = core.timeline({ incidentId: INCIDENT, limit: 500, pinned: true }).items;
    expect(pinned).toHaveLength(142);
    expect(pinned.every((i) => i.pinned)).toBe(true);
  });

  it('are served by the keyset index, never by OFFSET or a scan', () => {
    const plan = core.db
      .prepare("EXPLAIN QUERY PLAN SELECT * FROM events WHERE incident_id = ? AND shown = 1 AND (hlc, id) < (?, ?) ORDER BY hlc DESC, id DESC LIMIT 100")
      .all(INCIDENT, 'x', 'y') as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/SEARCH events USING INDEX events_by_incident \(incident_id=\? AND \(hlc,id\)<\(\?,\?\)\)/);
  });
});

describe('a window says which of its rows the hub has not acknowledged', () => {
  it('marks a row written here as pending until its push is acknowledged, and never a row that came from the hub', () => {
    const mine = core.events.appendLocal(INCIDENT, 'note', { text: 'written here' });
    const w = core.timeline({ incidentId: INCIDENT, limit: 3 });
    expect(w.items.map((i) => i.id)).toContain(mine.id);
    expect(w.pending).toEqual([mine.id]);
    core.events.settlePush([mine.id], []);
    expect(core.timeline({ incidentId: INCIDENT, limit: 3 }).pending).toEqual([]);
  });
});
