import { describe, expect, it } from 'vitest';
import { formatHlc } from '../sync/hlc.js';
import type { ConnEvent } from '../domain/events.js';
import { foldIncident, foldTimeline } from '../domain/fold.js';
import { handoffBrief } from './handoff-brief.js';

const INC = '0190a5c4-0000-7000-8000-000000000001';
const T0 = Date.UTC(2026, 10, 28, 2, 0, 0); // 02:00 UTC: night in New York, morning in Tokyo
let n = 0;
function ev(minutes: number, author: string, kind: ConnEvent['kind'], payload: unknown): ConnEvent {
  n += 1;
  return {
    id: `0190a5c4-0000-7000-8000-${String(n).padStart(12, '0')}`,
    incidentId: INC,
    hlc: formatHlc({ wall: T0 + minutes * 60_000, counter: 0 }),
    author: { id: `p-${author}`, name: author },
    kind,
    payload,
  } as ConnEvent;
}

const events: ConnEvent[] = [
  ev(0, 'ana', 'incident.declared', { title: 'Payments API 503s', severity: 1, services: ['payments'] }),
  ev(1, 'ana', 'role.assigned', { role: 'commander', person: 'ana' }),
  ev(2, 'ana', 'status.changed', { status: 'investigating' }),
  ev(4, 'ana', 'update.posted', { text: 'Investigating elevated errors on payments' }),
  ev(10, 'bo', 'hypothesis', { text: 'DNS resolution failing' }),
  ev(15, 'ana', 'decision', { text: 'Fail over the primary database' }),
  ev(16, 'ana', 'action.added', { text: 'Write up the failover gap', owner: 'kenji' }),
  ev(17, 'ana', 'action.added', { text: 'Check replica lag alerts', owner: 'bo' }),
  ev(30, 'ana', 'status.changed', { status: 'monitoring' }),
];
const hyp = events[4]!;
events.push(ev(12, 'bo', 'hypothesis.updated', { target: hyp.id, state: 'ruled-out' }));
events.push(ev(40, 'ana', 'handoff.offered', { role: 'commander', to: 'kenji', brief: 'Monitoring after failover; watch replica lag' }));

describe('hand-off brief', () => {
  const state = foldIncident(INC, events);
  const brief = handoffBrief({
    state,
    since: new Date(T0).toISOString(),
    items: foldTimeline(events),
    reader: { name: 'kenji', timeZone: 'Asia/Tokyo' },
    now: new Date(T0 + 60 * 60_000),
  });

  it('gives times in the reader\'s own zone', () => {
    expect(brief).toContain('2026-11-28 11:15 GMT+9 ana: Fail over the primary database');
  });
  it('lists only the actions assigned to the reader', () => {
    expect(brief).toContain('- [ ] Write up the failover gap');
    expect(brief).not.toContain('Check replica lag alerts');
  });
  it('says what was tried and ruled out, and the hand-off waiting for them', () => {
    expect(brief).toMatch(/## Tried and ruled out\n- DNS resolution failing/);
    expect(brief).toContain('commander from ana: Monitoring after failover');
  });
  it('names the declarer as commander while nobody is assigned', () => {
    const declaredOnly = foldIncident(INC, [events[0]!]);
    const b = handoffBrief({ state: declaredOnly, since: new Date(T0).toISOString(), items: [], reader: { name: 'kenji', timeZone: 'UTC' }, now: new Date(T0 + 60_000) });
    expect(b).toContain('## Who holds what\n- commander: ana (declarer; nobody assigned)\n');
    expect(brief).toContain('- commander: ana (since');
    expect(brief).not.toContain('(declarer');
  });
  it('shows when the next stakeholder update is due while the incident is still active', () => {
    expect(brief).toMatch(/stakeholder update (due|OVERDUE)/);
  });
});
