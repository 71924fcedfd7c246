import { describe, expect, it } from 'vitest';
import type { ConnEvent } from '../domain/events.js';
import { formatHlc } from '../sync/hlc.js';
import { latestMinutes, minutesStatus, type MinutesEvent } from './latest-minutes.js';

const INCIDENT = '0190a5c4-0000-7000-8000-000000000001';
const CALL = '0190a5c4-0000-7000-8000-0000000000c1';
const OTHER = '0190a5c4-0000-7000-8000-0000000000c2';
const T0 = Date.UTC(2026, 10, 28, 9, 0, 0);
const m = (n: number, sec: number, target: string | undefined, status?: 'draft' | 'published'): MinutesEvent => ({
  id: `0190a5c4-0000-7000-8000-${String(n).padStart(12, '0')}`,
  incidentId: INCIDENT,
  hlc: formatHlc({ wall: T0 + sec * 1000, counter: 0 }),
  author: { id: 'p-ana', name: 'ana' },
  kind: 'minutes.written',
  payload: { text: `m${n}`, ...(target ? { target } : {}), ...(status ? { status } : {}) },
});

describe('the minutes that stand for a call', () => {
  const cases: Array<{ name: string; events: MinutesEvent[]; call: string | undefined; want: string | null }> = [
    { name: 'none written', events: [], call: CALL, want: null },
    { name: 'the published text supersedes the draft', events: [m(1, 1, CALL, 'draft'), m(2, 5, CALL, 'published')], call: CALL, want: 'm2' },
    { name: 'a later draft supersedes a published text (an edit not yet published)', events: [m(2, 5, CALL, 'published'), m(3, 9, CALL, 'draft')], call: CALL, want: 'm3' },
    { name: 'same clock: the greater id wins', events: [m(5, 5, CALL), m(4, 5, CALL)], call: CALL, want: 'm5' },
    { name: 'minutes of another call do not count', events: [m(1, 1, CALL), m(2, 9, OTHER)], call: CALL, want: 'm1' },
    { name: 'without a call: minutes of the discussion only', events: [m(1, 1, CALL), m(2, 2, undefined)], call: undefined, want: 'm2' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      for (const order of [c.events, [...c.events].reverse()]) {
        expect(latestMinutes(order as ConnEvent[], c.call)?.payload.text ?? null).toBe(c.want);
      }
    });
  }

  it('reads minutes without a status, written before drafts existed, as published', () => {
    expect(minutesStatus(m(1, 1, CALL))).toBe('published');
    expect(minutesStatus(m(1, 1, CALL, 'draft'))).toBe('draft');
  });
});
