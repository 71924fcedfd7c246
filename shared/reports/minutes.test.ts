import { describe, expect, it } from 'vitest';
import { parseEvent, type ConnEvent } from '../domain/events.js';
import { LIMITS, serialisedBytes } from '../domain/limits.js';
import { formatHlc } from '../sync/hlc.js';
import { incidentEvents } from './__tests__/events.js';
import { callMinutes } from './minutes.js';

/*
 * A SEV2 at night in Los Angeles: the call starts at 23:30 PST on 7 March 2026 and ends at 00:45
 * the next day, hours before the clocks spring forward (10:00 UTC), so an action due at 11:00 UTC
 * is due at 04:00 PDT.
 */
const inc = incidentEvents(1);
const { ev } = inc;
ev('2026-03-08T06:00:00Z', 'ana', 'incident.declared', { title: 'Checkout latency', severity: 2, services: ['checkout'] });
const firstIc = ev('2026-03-08T06:01:00Z', 'ana', 'role.assigned', { role: 'commander', person: 'ana' });
ev('2026-03-08T06:02:00Z', 'ana', 'status.changed', { status: 'investigating' });
ev('2026-03-08T06:05:00Z', 'ana', 'update.posted', { text: 'Investigating checkout latency' });
ev('2026-03-08T06:30:00Z', 'bo', 'hypothesis', { text: 'Cache stampede after the 05:50 flush' });
ev('2026-03-08T07:00:00Z', 'bo', 'decision', { text: 'Before the call: freeze deploys' });
const cache = ev('2026-03-08T07:05:00Z', 'ana', 'action.added', { text: 'Restart the cache tier' });
const call = ev('2026-03-08T07:30:00Z', 'ana', 'call.started', { title: 'Checkout bridge', bridge: 'https://meet.example/x?pin=1234' });
ev('2026-03-08T07:31:00Z', 'bo', 'attendee.joined', { target: call.id, person: 'bo' });
ev('2026-03-08T07:32:00Z', 'chen', 'attendee.joined', { target: call.id, person: 'chen' });
const pool = ev('2026-03-08T07:35:00Z', 'bo', 'hypothesis', { text: 'Connection pool exhausted\nsee the api-7 graphs' });
const deploy = ev('2026-03-08T07:40:00Z', 'chen', 'hypothesis', { text: 'Bad deploy 4512' });
ev('2026-03-08T07:50:00Z', 'ana', 'severity.changed', { severity: 1 });
ev('2026-03-08T08:05:00Z', 'bo', 'hypothesis.updated', { target: deploy.id, state: 'ruled-out' });
ev('2026-03-08T08:10:00Z', 'ana', 'decision', { text: 'Raise the pool size to 200' });
ev('2026-03-08T08:12:00Z', 'ana', 'action.added', { text: 'Raise the pool size', owner: 'bo', due: '2026-03-08T11:00:00Z' });
const faq = ev('2026-03-08T08:13:00Z', 'ana', 'action.added', { text: 'Write the customer FAQ' });
ev('2026-03-08T08:14:00Z', 'ana', 'action.updated', { target: cache.id, owner: 'chen' });
const secret = ev('2026-03-08T08:16:00Z', 'chen', 'decision', { text: 'Call Acme CTO on +1 555 0100' });
// Two people hand command on at once, each having seen only ana's assignment: concurrent.
ev('2026-03-08T08:20:00Z', 'ana', 'role.assigned', { role: 'commander', person: 'bo' }, { supersedes: [firstIc.id] });
ev('2026-03-08T08:20:00Z', 'chen', 'role.assigned', { role: 'commander', person: 'chen' }, { supersedes: [firstIc.id] });
ev('2026-03-08T08:25:00Z', 'bo', 'hypothesis.updated', { target: pool.id, state: 'confirmed' });
ev('2026-03-08T08:30:00Z', 'ana', 'update.posted', { text: 'Mitigating: pool raised', audience: 'status page' });
ev('2026-03-08T08:31:00Z', 'chen', 'attendee.left', { target: call.id, person: 'chen' });
ev('2026-03-08T08:40:00Z', 'ana', 'status.changed', { status: 'identified' });
ev('2026-03-08T08:45:00Z', 'ana', 'call.ended', { target: call.id });
ev('2026-03-08T09:00:00Z', 'ana', 'decision', { text: 'After the call: keep the pool at 200' });
ev('2026-03-08T12:00:00Z', 'ana', 'entry.redacted', { target: secret.id, reason: 'customer contact details' });
// Written offline during the call, synced long after: it belongs to the call by its clock stamp.
ev('2026-03-08T08:35:00Z', 'dan', 'decision', { text: 'Page the database team' });
const events = inc.events;
const LA = 'America/Los_Angeles';

describe('call minutes', () => {
  const m = callMinutes({ events, callId: call.id, timeZone: LA, presence: ['dan', 'bo'], nextCallAt: '2026-03-08T16:00:00Z' });

  it('says when and how long, in the reader\'s zone and UTC, across local midnight', () => {
    expect(m).toMatchObject({ startedAt: '2026-03-08T07:30:00.000Z', endedAt: '2026-03-08T08:45:00.000Z', ongoing: false, durationMs: 75 * 60_000 });
    expect(m.markdown).toContain('- Started 2026-03-07 23:30 PST (2026-03-08 07:30 UTC)\n- Ended 2026-03-08 00:45 PST (2026-03-08 08:45 UTC), 1h 15m\n');
    // Entries after local midnight carry their date; those before it, only the clock.
    expect(m.markdown).toContain('- 23:35 PST bo: Connection pool exhausted\n');
    expect(m.markdown).toContain('- 2026-03-08 00:10 PST ana: Raise the pool size to 200\n');
  });

  it('lists who attended, from the call\'s joins and leaves, its starter and presence', () => {
    expect(m.attendees).toEqual([
      { name: 'ana', joinedAt: '2026-03-08T07:30:00.000Z', leftAt: null, via: 'call' },
      { name: 'bo', joinedAt: '2026-03-08T07:31:00.000Z', leftAt: null, via: 'call' },
      { name: 'chen', joinedAt: '2026-03-08T07:32:00.000Z', leftAt: '2026-03-08T08:31:00.000Z', via: 'call' },
      { name: 'dan', joinedAt: null, leftAt: null, via: 'presence' },
    ]);
    expect(m.markdown).toContain('- chen (joined 23:32 PST, left 2026-03-08 00:31 PST)\n- dan (seen by presence)\n');
  });

  it('gives the state at the start and at the end, folded up to each instant', () => {
    expect(m.atStart).toEqual({ severity: 2, status: 'investigating', commander: 'ana' });
    // Of the two concurrent assignments the greater (hlc, id) wins, and the conflict is shown.
    expect(m.atEnd).toEqual({ severity: 1, status: 'identified', commander: 'chen' });
    expect(m.conflicts).toEqual(['2 concurrent IC assignments: bo / chen']);
    expect(m.markdown).toContain('| At start | SEV2 | investigating | ana |\n| At end | SEV1 | identified | chen |');
    expect(m.markdown).toContain('## Concurrent changes\n- ⚠ 2 concurrent IC assignments: bo / chen\n');
  });

  it('keeps to the call window, including an entry synced late but stamped inside it', () => {
    const decisions = m.decisions.map((d) => d.text);
    expect(decisions).toEqual(['Raise the pool size to 200', null, 'Page the database team']);
    expect(m.markdown).not.toContain('Before the call');
    expect(m.markdown).not.toContain('After the call');
  });

  it('shows a redacted entry as redacted, never its words, even when redacted after the call', () => {
    expect(m.decisions[1]).toMatchObject({ id: secret.id, redacted: true, text: null, author: 'chen' });
    expect(m.markdown).toContain('ana: Raise the pool size to 200\n- 2026-03-08 00:16 PST chen: _(redacted)_\n');
    expect(m.markdown).not.toMatch(/Acme|555/);
  });

  it('lists actions with owners and due times, hypotheses by outcome, roles and updates', () => {
    expect(m.actions.map((a) => [a.text, a.owner, a.due, a.change])).toEqual([
      ['Raise the pool size', 'bo', '2026-03-08T11:00:00Z', 'added'],
      ['Write the customer FAQ', null, null, 'added'],
      ['Restart the cache tier', 'chen', null, 'updated'], // added before the call, assigned during it
    ]);
    // Due after the clocks sprang forward: PDT.
    expect(m.markdown).toContain(
      '- [ ] Raise the pool size — bo, due 2026-03-08 04:00 PDT (2026-03-08 11:00 UTC)\n- [ ] Write the customer FAQ — no owner\n- [ ] Restart the cache tier — chen (updated)\n',
    );
    expect(m.hypotheses.opened.map((h) => h.text)).toEqual(['Connection pool exhausted\nsee the api-7 graphs', 'Bad deploy 4512']);
    expect(m.hypotheses.confirmed.map((h) => h.id)).toEqual([pool.id]);
    expect(m.hypotheses.ruledOut.map((h) => h.id)).toEqual([deploy.id]);
    expect(m.roleChanges.map((r) => [r.role, r.person, r.by])).toEqual([['commander', 'bo', 'ana'], ['commander', 'chen', 'chen']]);
    expect(m.updates).toMatchObject([{ text: 'Mitigating: pool raised', audience: 'status page' }]);
    expect(m.markdown).toContain('ana: Mitigating: pool raised (to status page)');
  });

  it('lists questions still open and what comes next', () => {
    expect(m.openQuestions.hypotheses.map((h) => h.text)).toEqual(['Cache stampede after the 05:50 flush']);
    expect(m.openQuestions.unownedActions.map((a) => a.id)).toEqual([faq.id]);
    // SEV1 at the end: the next update is 20 minutes after the one at 08:30.
    expect(m.nextUpdateDueAt).toBe('2026-03-08T08:50:00.000Z');
    expect(m.markdown).toContain('- Stakeholder update: due 2026-03-08 00:50 PST (2026-03-08 08:50 UTC)\n- Next call: 2026-03-08 09:00 PDT (2026-03-08 16:00 UTC)\n');
    expect(m.markdown).not.toContain('pin=1234');
  });

  it('is the same whatever order the events arrive in, and with duplicates', () => {
    const shuffled = [...events].reverse().concat(events.slice(0, 5));
    expect(callMinutes({ events: shuffled, callId: call.id, timeZone: LA, presence: ['dan', 'bo'], nextCallAt: '2026-03-08T16:00:00Z' })).toEqual(m);
  });

  it.each([
    ['America/Los_Angeles', '2026-03-07 23:30 PST (2026-03-08 07:30 UTC)'],
    ['Europe/Berlin', '2026-03-08 08:30 GMT+1 (2026-03-08 07:30 UTC)'],
    ['Asia/Kolkata', '2026-03-08 13:00 GMT+5:30 (2026-03-08 07:30 UTC)'],
    ['Asia/Kathmandu', '2026-03-08 13:15 GMT+5:45 (2026-03-08 07:30 UTC)'],
    ['Australia/Adelaide', '2026-03-08 18:00 GMT+10:30 (2026-03-08 07:30 UTC)'],
    ['UTC', '2026-03-08 07:30 UTC'],
  ])('starts, read in %s, at %s', (zone, text) => {
    expect(callMinutes({ events, callId: call.id, timeZone: zone }).markdown).toContain(`- Started ${text}\n`);
  });
});

describe('call minutes, edge cases', () => {
  const upTo = (iso: string) => events.filter((e) => e.hlc <= formatHlc({ wall: Date.parse(iso), counter: 0 }));

  it.each([
    ['a call still running runs to the latest entry', '2026-03-08T08:30:00Z', true, 60 * 60_000, '- Ended still running (1h 0m so far)'],
    ['a call just started has nothing in it yet', '2026-03-08T07:30:00Z', true, 0, '| Now | SEV2 | investigating | ana |'],
    ['an ended call', '2026-03-08T08:45:00Z', false, 75 * 60_000, '| At end |'],
  ])('%s', (_name, until, ongoing, durationMs, text) => {
    const m = callMinutes({ events: upTo(until), callId: call.id, timeZone: LA });
    expect(m).toMatchObject({ ongoing, durationMs });
    expect(m.markdown).toContain(text);
  });

  it('refuses an id that is not a call', () => {
    expect(() => callMinutes({ events, callId: secret.id, timeZone: LA })).toThrow(RangeError);
    expect(() => callMinutes({ events, callId: '0190a5c4-0000-7000-8000-ffffffffffff', timeZone: LA })).toThrow(/no call/);
  });

  it('hides the words of concurrent edits once the entry is redacted', () => {
    const x = incidentEvents(2);
    x.ev('2026-01-10T10:00:00Z', 'ana', 'incident.declared', { title: 'Login errors', severity: 3, services: [] });
    const c = x.ev('2026-01-10T10:05:00Z', 'ana', 'call.started', {});
    const d = x.ev('2026-01-10T10:06:00Z', 'bo', 'decision', { text: 'Tell Globex first' });
    x.ev('2026-01-10T10:07:00Z', 'bo', 'entry.edited', { target: d.id, text: 'Tell Globex and Initech first' });
    x.ev('2026-01-10T10:07:00Z', 'ana', 'entry.edited', { target: d.id, text: 'Tell Initech first' }, { supersedes: [] }); // had not seen bo's
    x.ev('2026-01-10T10:10:00Z', 'ana', 'call.ended', { target: c.id });
    const before = callMinutes({ events: x.events, callId: c.id, timeZone: 'UTC' });
    expect(before.conflicts).toEqual(['2 concurrent edits of one entry: Tell Globex and Initech first / Tell Initech first']);
    x.ev('2026-01-10T11:00:00Z', 'ana', 'entry.redacted', { target: d.id, reason: 'customer names' });
    const after = callMinutes({ events: x.events, callId: c.id, timeZone: 'UTC' });
    expect(after.conflicts).toEqual([]);
    expect(after.markdown).not.toMatch(/Globex|Initech/);
  });
});

describe('call minutes fit in one event', () => {
  function bigCall(n: number, text: (i: number) => string) {
    const x = incidentEvents(3);
    x.ev('2026-11-01T08:00:00Z', 'ana', 'incident.declared', { title: 'Storage outage', severity: 1, services: ['storage'] });
    const c = x.ev('2026-11-01T08:30:00Z', 'ana', 'call.started', { title: 'War room' });
    for (let i = 0; i < n; i++) x.ev(new Date(Date.parse('2026-11-01T08:31:00Z') + i * 1000).toISOString(), 'bo', 'decision', { text: text(i) });
    x.ev('2026-11-01T11:00:00Z', 'ana', 'call.ended', { target: c.id });
    return { events: x.events, callId: c.id, incidentId: x.incidentId };
  }

  it.each([
    ['many long decisions (characters)', 3000, (i: number) => `Decision ${i}: ${'x'.repeat(400)}`],
    // Under the character limit uncapped, over the byte limit once each \u0001 is escaped to 6 bytes.
    ['characters that JSON escapes (bytes)', 265, (i: number) => `${i} ${'\u0001'.repeat(200)}`],
    ['four-byte characters', 2000, (i: number) => `${i} ${'🔥'.repeat(80)}`],
  ])('%s: truncated with "…and N more", saved as minutes.written', (_name, n, text) => {
    const { events: big, callId, incidentId } = bigCall(n, text);
    const m = callMinutes({ events: big, callId, timeZone: 'Asia/Kathmandu' });
    expect(m.decisions).toHaveLength(n); // the structured form keeps them all
    expect(m.markdown.length).toBeLessThanOrEqual(LIMITS.textChars);
    expect(m.markdown).toMatch(/- …and \d+ more\n/);
    const written = {
      id: '0190a5c4-0000-7000-8000-0300000fffff',
      incidentId,
      hlc: formatHlc({ wall: Date.parse('2026-11-01T11:01:00Z'), counter: 0 }),
      author: { id: 'p-ana', name: 'ana' },
      supersedes: Array.from({ length: LIMITS.supersedes }, (_, i) => `0190a5c4-0000-7000-8000-03${String(i).padStart(10, '0')}`),
      kind: 'minutes.written',
      payload: { target: callId, text: m.markdown },
    } as ConnEvent;
    expect(serialisedBytes(written)).toBeLessThanOrEqual(LIMITS.eventBytes);
    expect(() => parseEvent(written)).not.toThrow();
  });

  it('leaves minutes that fit untouched', () => {
    const { events: small, callId } = bigCall(5, (i) => `Decision ${i}`);
    const m = callMinutes({ events: small, callId, timeZone: 'UTC' });
    expect(m.markdown).not.toContain('more\n');
    expect(m.markdown).toContain('- 08:31 UTC bo: Decision 0\n');
  });
});

/*
 * The next call comes from call.planned: the soonest one planned for after the call ended, planned
 * during the call or later. The follow-up is at 10:30 UTC on 8 March 2026, half an hour after Los
 * Angeles springs forward (10:00 UTC): the same instant reads PDT, not PST, and reads on the half
 * and quarter hour in the zones offset by 30 and 45 minutes.
 */
describe('call minutes, the next planned call', () => {
  const planned = incidentEvents(2);
  planned.ev('2026-03-08T08:00:00Z', 'ana', 'incident.declared', { title: 'Search down', severity: 2, services: [] });
  const bridge = planned.ev('2026-03-08T08:30:00Z', 'ana', 'call.started', { title: 'Search bridge' });
  // Before the call ended, so not "next"; and one long after it, which the sooner one beats.
  planned.ev('2026-03-08T08:31:00Z', 'ana', 'call.planned', { at: '2026-03-08T08:40:00Z', lengthMin: 15, attendees: ['ana'] });
  planned.ev('2026-03-08T08:35:00Z', 'ana', 'call.planned', { at: '2026-03-09T10:30:00Z', lengthMin: 60, attendees: ['ana', 'bo'], title: 'Retrospective review' });
  planned.ev('2026-03-08T08:50:00Z', 'ana', 'call.ended', { target: bridge.id });
  // Planned after the call ended: still the next call its minutes announce.
  planned.ev('2026-03-08T09:10:00Z', 'bo', 'call.planned', { at: '2026-03-08T10:30:00+00:00', lengthMin: 30, attendees: ['ana', 'bo'], title: 'Follow-up' });

  it.each([
    ['America/Los_Angeles', '2026-03-08 03:30 PDT (2026-03-08 10:30 UTC)'],
    ['Asia/Kolkata', '2026-03-08 16:00 GMT+5:30 (2026-03-08 10:30 UTC)'],
    ['Asia/Kathmandu', '2026-03-08 16:15 GMT+5:45 (2026-03-08 10:30 UTC)'],
    ['Australia/Adelaide', '2026-03-08 21:00 GMT+10:30 (2026-03-08 10:30 UTC)'],
    ['Europe/London', '2026-03-08 10:30 GMT (2026-03-08 10:30 UTC)'],
  ])('announces it, read in %s, at %s', (zone, text) => {
    const m = callMinutes({ events: planned.events, callId: bridge.id, timeZone: zone });
    expect(m.nextCallAt).toBe('2026-03-08T10:30:00.000Z');
    expect(m.nextCall).toMatchObject({ title: 'Follow-up', lengthMin: 30, attendees: ['ana', 'bo'], plannedBy: 'bo' });
    expect(m.markdown).toContain(`- Next call: ${text}, 30 min (Follow-up), with ana, bo\n`);
  });

  it('says none is planned when every planned call is before the end', () => {
    const m = callMinutes({ events: planned.events.filter((e) => !(e.kind === 'call.planned' && e.payload.at > '2026-03-08T09')), callId: bridge.id, timeZone: 'UTC' });
    expect(m.nextCallAt).toBeNull();
    expect(m.markdown).toContain('- Next call: none planned');
  });
});
