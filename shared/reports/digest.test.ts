import { describe, expect, it } from 'vitest';
import type { ConnEvent } from '../domain/events.js';
import { refFromId } from '../domain/incident-ref.js';
import { incidentEvents } from './__tests__/events.js';
import { hasNewsFromOthers, whileYouWereAway, type DigestReader } from './digest.js';

/*
 * Bo works 09:00-17:00 in Los Angeles. He left at 16:00 PDT on Saturday 31 October 2026 and reads
 * the digest at 09:30 PST on Sunday: the clocks went back at 09:00 UTC in between, so 01:00-02:00
 * happened twice that night.
 */
const SINCE = '2026-10-31T23:00:00Z';
const NOW = new Date('2026-11-01T17:30:00Z');
const bo: DigestReader = { name: 'bo', timeZone: 'America/Los_Angeles', workingHours: '09:00-17:00' };

// A: SEV2 raised to SEV1 overnight, with work for bo.
const a = incidentEvents(10);
const aDeclared = a.ev('2026-10-31T20:00:00Z', 'ana', 'incident.declared', { title: 'Search timeouts', severity: 2, services: ['search'] });
a.ev('2026-10-31T20:01:00Z', 'ana', 'role.assigned', { role: 'commander', person: 'ana' });
a.ev('2026-10-31T20:05:00Z', 'ana', 'action.added', { text: 'Assigned before bo left', owner: 'bo' });
a.ev('2026-11-01T02:00:00Z', 'ana', 'severity.changed', { severity: 1 });
a.ev('2026-11-01T03:00:00Z', 'ana', 'decision', { text: 'Shed search traffic from the EU' });
const secret = a.ev('2026-11-01T03:05:00Z', 'chen', 'decision', { text: 'Ask Initech to pause their crawler' });
a.ev('2026-11-01T03:06:00Z', 'ana', 'entry.redacted', { target: secret.id, reason: 'customer name' });
const shards = a.ev('2026-11-01T04:00:00Z', 'ana', 'action.added', { text: 'Tune the index shards', owner: 'bo', due: '2026-11-01T18:00:00Z' });
const call = a.ev('2026-11-01T05:00:00Z', 'ana', 'call.started', { title: 'Search bridge' });
a.ev('2026-11-01T06:00:00Z', 'ana', 'call.ended', { target: call.id });
// Conn's draft of them: not the team's record until published, so not in the digest.
a.ev('2026-11-01T06:00:01Z', 'ana', 'minutes.written', { target: call.id, text: '# Minutes: Search bridge (draft)', status: 'draft' });
a.ev('2026-11-01T06:10:00Z', 'chen', 'minutes.written', { target: call.id, text: '# Minutes: Search bridge\n\n- Started …' });
const comms = a.ev('2026-11-01T07:00:00Z', 'ana', 'handoff.offered', { role: 'comms', to: null, brief: 'Post every 20 minutes' });
a.ev('2026-11-01T07:05:00Z', 'chen', 'handoff.accepted', { target: comms.id });
a.ev('2026-11-01T07:10:00Z', 'ana', 'handoff.offered', { role: 'scribe', to: null, brief: 'Keep the timeline tidy' });
a.ev('2026-11-01T07:15:00Z', 'ana', 'handoff.offered', { role: 'ops', to: 'dan', brief: 'For Dan only' });
// Two people moved the status at once, each having seen only the declaration.
a.ev('2026-11-01T10:00:00Z', 'ana', 'status.changed', { status: 'identified' }, { supersedes: [aDeclared.id] });
a.ev('2026-11-01T10:00:00Z', 'chen', 'status.changed', { status: 'monitoring' }, { supersedes: [aDeclared.id] });
const replica = a.ev('2026-11-01T11:00:00Z', 'ana', 'action.added', { text: 'Check replica lag' });
a.ev('2026-11-01T16:30:00Z', 'ana', 'action.updated', { target: replica.id, owner: 'bo' });
const runbook = a.ev('2026-11-01T12:00:00Z', 'ana', 'action.added', { text: 'Review the search runbook', owner: 'chen' });
a.ev('2026-11-01T17:10:00Z', 'chen', 'action.updated', { target: runbook.id, owner: 'bo' });
a.ev('2026-11-01T17:00:00Z', 'ana', 'handoff.offered', { role: 'commander', to: 'bo', brief: '# Hand-off: commander for search\n\nStable; watch shard 7' });
a.ev('2026-11-01T17:20:00Z', 'chen', 'update.posted', { text: 'Search recovering' });
// A follow-up bo must attend, planned at 09:22 PST for 17:30 PST; and one already over by NOW.
a.ev('2026-11-01T17:22:00Z', 'ana', 'call.planned', { at: '2026-11-02T01:30:00Z', lengthMin: 30, attendees: ['ana', 'bo'], title: 'Shard follow-up' });
a.ev('2026-11-01T17:23:00Z', 'ana', 'call.planned', { at: '2026-11-01T17:25:00Z', lengthMin: 15, attendees: ['ana'] });

// B: SEV2, resolved overnight; its stale offer to bo no longer waits.
const b = incidentEvents(11);
b.ev('2026-10-31T18:00:00Z', 'dan', 'incident.declared', { title: 'Webhook delays', severity: 2, services: [] });
b.ev('2026-10-31T18:30:00Z', 'dan', 'handoff.offered', { role: 'commander', to: 'bo', brief: 'Take over please' });
b.ev('2026-11-01T01:00:00Z', 'dan', 'status.changed', { status: 'resolved' });

// C: SEV1 but quiet since bo left: left out.
const c = incidentEvents(12);
c.ev('2026-10-30T12:00:00Z', 'ana', 'incident.declared', { title: 'Old quiet incident', severity: 1, services: [] });

// D: SEV2 declared in the first 01:30 (PDT); its commander named in the second (PST).
const d = incidentEvents(13);
d.ev('2026-11-01T08:30:00Z', 'chen', 'incident.declared', { title: 'Login latency', severity: 2, services: ['auth'] });
d.ev('2026-11-01T09:30:00Z', 'chen', 'role.assigned', { role: 'commander', person: 'chen' });

const all: ConnEvent[] = [...c.events, ...b.events, ...d.events, ...a.events].reverse();

describe('while you were away', () => {
  const digest = whileYouWereAway({ events: all, reader: bo, since: SINCE, now: NOW });
  const [A, D, B] = digest.incidents;

  it('lists incidents with news, worst severity first, active before resolved', () => {
    expect(digest.empty).toBe(false);
    expect(digest.incidents.map((i) => [i.title, i.severity, i.status])).toEqual([
      ['Search timeouts', 1, 'monitoring'],
      ['Login latency', 2, 'triage'],
      ['Webhook delays', 2, 'resolved'],
    ]);
    expect(digest.markdown).not.toContain('Old quiet incident');
  });

  it('gives status, severity and role changes since, in the reader\'s zone, through the repeated hour', () => {
    expect(A?.changes.map((x) => x.text)).toEqual(['Severity → SEV1', 'Status → identified', 'Status → monitoring']);
    expect(D?.changes.map((x) => x.text)).toEqual(['Declared SEV2: Login latency', 'chen is commander']);
    expect(digest.markdown).toContain('### Changes\n- 01:30 PDT chen: Declared SEV2: Login latency\n- 01:30 PST chen: chen is commander\n');
    expect(B?.changes.map((x) => x.text)).toEqual(['Status → resolved']);
  });

  it('shows concurrent changes side by side', () => {
    expect(A?.conflicts).toEqual(['2 concurrent status changes: identified / monitoring']);
    expect(digest.markdown).toContain('### Concurrent changes\n- ⚠ 2 concurrent status changes: identified / monitoring\n');
  });

  it('lists decisions, redacted ones without their words, and the minutes published (not drafts)', () => {
    expect(A?.decisions.map((x) => x.text)).toEqual(['Shed search traffic from the EU', null]);
    expect(digest.markdown).toContain('### Decisions\n- 2026-10-31 20:00 PDT ana: Shed search traffic from the EU\n- 2026-10-31 20:05 PDT chen: _(redacted)_\n');
    expect(digest.markdown).not.toContain('Initech');
    expect(A?.minutes).toMatchObject([{ author: 'chen', callTitle: 'Search bridge', redacted: false }]);
    expect(digest.markdown).toContain('### Minutes published\n- 2026-10-31 23:10 PDT chen: minutes of Search bridge\n');
  });

  it('lists actions assigned to the reader since, and whether that was outside their working hours', () => {
    expect(A?.actions.filter((x) => !x.earlier).map((x) => [x.text, x.assignedBy, x.assignedAt, x.outsideHours])).toEqual([
      ['Tune the index shards', 'ana', '2026-11-01T04:00:00.000Z', true],
      ['Check replica lag', 'ana', '2026-11-01T16:30:00.000Z', true], // 08:30 PST; it would be 09:30 on PDT
      ['Review the search runbook', 'chen', '2026-11-01T17:10:00.000Z', false],
    ]);
    expect(digest.markdown).toContain(
      [
        '### Assigned to you',
        '- [ ] Tune the index shards (due 10:00 PST) — by ana at 2026-10-31 21:00 PDT, outside your working hours',
        '- [ ] Check replica lag — by ana at 08:30 PST, outside your working hours',
        '- [ ] Review the search runbook — by chen at 09:10 PST',
      ].join('\n'),
    );
    expect(shards.id).toBe(A?.actions[0]?.id);
  });

  it('keeps an action assigned before the reader left in their digest, apart, until it is done', () => {
    expect(A?.actions.filter((x) => x.earlier).map((x) => x.text)).toEqual(['Assigned before bo left']);
    expect(digest.markdown).toContain('### Still yours, not done yet\n- [ ] Assigned before bo left — since 2026-10-31 13:05 PDT');
    const x = incidentEvents(99);
    x.ev('2026-10-30T10:00:00Z', 'ana', 'incident.declared', { title: 'Old follow-up', severity: 3, services: [] });
    const action = x.ev('2026-10-30T10:05:00Z', 'ana', 'action.added', { text: 'Rotate the old keys', owner: 'bo' });
    const before = whileYouWereAway({ events: x.events, reader: bo, since: SINCE, now: NOW });
    expect(before.markdown).toContain('- [ ] Rotate the old keys — since');
    x.ev('2026-10-30T11:00:00Z', 'bo', 'action.updated', { target: action.id, state: 'done' });
    expect(whileYouWereAway({ events: x.events, reader: bo, since: SINCE, now: NOW }).empty).toBe(true);
  });

  it('lists hand-offs waiting for the reader: offered to them or open, not accepted, on active incidents', () => {
    // The scribe role was offered at 00:10 PDT, in the middle of bo's night; command at 09:00 PST, inside his hours.
    expect(A?.handoffs.map((h) => [h.role, h.to, h.outsideHours])).toEqual([
      ['scribe', null, true],
      ['commander', 'bo', false],
    ]);
    expect(B?.handoffs).toEqual([]);
    expect(digest.markdown).toContain(
      '### Waiting for you to take over\n- scribe from ana (open to anyone, 00:10 PDT, outside your working hours): Keep the timeline tidy\n- commander from ana (offered to you, 09:00 PST): Hand-off: commander for search\n',
    );
  });

  it('says when the next update is due, in the reader\'s zone', () => {
    expect(A?.nextUpdateDueAt).toBe('2026-11-01T17:40:00.000Z');
    expect(digest.markdown).toContain(`## ${refFromId(a.incidentId)} — Search timeouts\n\nSEV1 · monitoring · commander: ana · next update due 09:40 PST (in 10m)\n`);
    expect(digest.markdown).toContain('SEV2 · triage · commander: chen · update overdue by'); // D: nothing posted yet
    expect(digest.markdown).toContain('SEV2 · resolved · commander: dan (declarer) · no update owed');
  });

  it('lists calls planned since that are still to come, in the reader\'s zone, and whether they are on it', () => {
    expect(A?.plannedCalls.map((c) => [c.title, c.at, c.you])).toEqual([['Shard follow-up', '2026-11-02T01:30:00.000Z', true]]);
    expect(digest.markdown).toContain('### Calls planned\n- 2026-11-01 17:30 PST (2026-11-02 01:30 UTC), 30 min: Shard follow-up — with ana, bo (you are on it); planned by ana\n');
  });

  it('does not depend on the order events arrive in', () => {
    const again = whileYouWereAway({ events: [...all].sort((x, y) => x.id.localeCompare(y.id)), reader: bo, since: SINCE, now: NOW });
    expect(again).toEqual(digest);
  });

  it.each([
    ['no events at all', [] as ConnEvent[]],
    ['only a resolved incident, quiet since', b.events],
  ])('says so when empty: %s', (_name, events) => {
    const empty = whileYouWereAway({ events, reader: bo, since: '2026-11-01T02:00:00Z', now: NOW });
    expect(empty.empty).toBe(true);
    expect(empty.incidents).toEqual([]);
    expect(empty.markdown).toBe(
      '# While you were away\n\nSince 2026-10-31 19:00 PDT (2026-11-01 02:00 UTC), for bo. Times in America/Los_Angeles.\n\nNothing changed on your incidents since then, and nothing is waiting for you.\n',
    );
  });
});

describe('while you were away: assigned outside working hours, by zone', () => {
  it.each([
    // [zone, working hours, assigned at (UTC), outside, as the reader's clock shows it]
    ['America/Los_Angeles', '09:00-17:00', '2026-03-08T16:30:00Z', false, '09:30 PDT'],
    ['America/Los_Angeles', '09:00-17:00', '2026-03-07T16:30:00Z', true, '08:30 PST'],
    ['America/Los_Angeles', { start: '09:00', end: '17:00' }, '2026-11-01T17:10:00Z', false, '09:10 PST'],
    ['Europe/Berlin', '09:00-17:00', '2026-03-29T07:30:00Z', false, '09:30 GMT+2'],
    ['Europe/Berlin', '22:00-06:00', '2026-03-29T03:30:00Z', false, '05:30 GMT+2'],
    ['Europe/Berlin', '22:00-06:00', '2026-03-29T04:30:00Z', true, '06:30 GMT+2'],
    ['Asia/Kolkata', '09:00-17:00', '2026-01-15T03:15:00Z', true, '08:45 GMT+5:30'],
    ['Asia/Kathmandu', '09:00-17:00', '2026-01-15T03:15:00Z', false, '09:00 GMT+5:45'],
    ['Australia/Adelaide', '09:00-17:00', '2026-04-03T22:45:00Z', false, '09:15 GMT+10:30'],
    ['Australia/Adelaide', '09:00-17:00', '2026-04-04T22:45:00Z', true, '08:15 GMT+9:30'], // the morning after DST ended
  ])('in %s working %j, an action assigned at %s is outside: %s (%s)', (timeZone, workingHours, at, outside, clock) => {
    const x = incidentEvents(20);
    x.ev(new Date(Date.parse(at) - 3600_000).toISOString(), 'ana', 'incident.declared', { title: 'Queue backlog', severity: 3, services: [] });
    x.ev(at, 'ana', 'action.added', { text: 'Drain the queue', owner: 'kim' });
    const reader = { name: 'kim', timeZone, workingHours };
    const digest = whileYouWereAway({ events: x.events, reader, since: new Date(Date.parse(at) - 7200_000).toISOString(), now: new Date(Date.parse(at) + 60_000) });
    expect(digest.incidents[0]?.actions[0]?.outsideHours).toBe(outside);
    expect(digest.markdown).toContain(`- [ ] Drain the queue — by ana at ${clock}${outside ? ', outside your working hours' : ''}\n`);
  });
});

describe('whether the app opens on the digest by itself', () => {
  const since = '2026-01-15T00:00:00Z';
  const now = new Date('2026-01-15T12:00:00Z');
  const reader: DigestReader = { name: 'Kim', timeZone: 'Asia/Kolkata', workingHours: '09:00-17:00' };

  it('does not for a digest of the reader\'s own entries, whatever the case of their name', () => {
    const x = incidentEvents(30);
    x.ev('2026-01-15T01:00:00Z', 'kim', 'incident.declared', { title: 'Mine', severity: 2, services: [] });
    x.ev('2026-01-15T02:00:00Z', 'Kim', 'decision', { text: 'Restart the workers' });
    const digest = whileYouWereAway({ events: x.events, reader, since, now });
    expect(digest.empty).toBe(false);
    expect(hasNewsFromOthers(digest)).toBe(false);
  });

  type Add = (x: ReturnType<typeof incidentEvents>) => void;
  it.each<[string, Add, boolean]>([
    ["a teammate's decision", (x) => x.ev('2026-01-15T02:00:00Z', 'ana', 'decision', { text: 'Fail over' }), true],
    ['an action a teammate gave them', (x) => x.ev('2026-01-15T02:00:00Z', 'ana', 'action.added', { text: 'Check lag', owner: 'Kim' }), true],
    ['an open offer from a teammate', (x) => x.ev('2026-01-15T02:00:00Z', 'ana', 'handoff.offered', { role: 'scribe', to: null, brief: 'x' }), true],
    // Their own offer waits for others, not for them.
    ['their own open offer', (x) => x.ev('2026-01-15T02:00:00Z', 'kim', 'handoff.offered', { role: 'scribe', to: null, brief: 'x' }), false],
  ])('for %s', (_what, add, opens) => {
    const x = incidentEvents(31);
    x.ev('2026-01-15T01:00:00Z', 'kim', 'incident.declared', { title: 'Mine', severity: 2, services: [] });
    add(x);
    expect(hasNewsFromOthers(whileYouWereAway({ events: x.events, reader, since, now }))).toBe(opens);
  });
});
