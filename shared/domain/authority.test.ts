import { describe, expect, it } from 'vitest';
import { formatHlc } from '../sync/hlc.js';
import { authorize, integrationAuthor, INTEGRATION_ROLE, isIntegrationName, targetEntryOf, type Actor } from './authority.js';
import type { ConnEvent } from './events.js';
import { foldIncident } from './fold.js';

/*
 * The rule for minutes, decided purely (the hub tests push the same rule through a hub): anyone
 * who may write drafts minutes; the scribe, the commander or an admin publishes them, and
 * minutes without a status read as published, so they need the same right.
 */

const INCIDENT = '0190a5c4-0000-7000-8000-000000000001';
const T0 = Date.UTC(2026, 10, 28, 9, 0, 0);
let n = 0;
function ev(kind: ConnEvent['kind'], payload: unknown, author: string): ConnEvent {
  n += 1;
  return {
    id: `0190a5c4-0000-7000-8000-${String(n).padStart(12, '0')}`,
    incidentId: INCIDENT,
    hlc: formatHlc({ wall: T0 + n * 1000, counter: 0 }),
    author: { id: `p-${author}`, name: author },
    kind,
    payload,
  } as ConnEvent;
}

const declared = ev('incident.declared', { title: 'Checkout 5xx', severity: 2, services: [] }, 'ana');
const scribe = ev('role.assigned', { role: 'scribe', person: 'cy' }, 'ana');
const call = ev('call.started', { title: 'bridge' }, 'ana');
const state = foldIncident(INCIDENT, [declared, scribe, call]);

const member = (name: string): Actor => ({ name, role: 'member' });
const minutes = (author: string, status?: 'draft' | 'published') =>
  ev('minutes.written', { target: call.id, text: 'we rolled back', ...(status ? { status } : {}) }, author);

const cases: Array<{ who: Actor; status?: 'draft' | 'published'; ok: boolean }> = [
  { who: member('bo'), status: 'draft', ok: true },
  { who: member('bo'), status: 'published', ok: false },
  { who: member('bo'), ok: false },
  { who: member('cy'), status: 'published', ok: true },
  { who: member('ana'), status: 'published', ok: true },
  { who: { name: 'dev', role: 'admin' }, status: 'published', ok: true },
  { who: { name: 'eve', role: 'viewer' }, status: 'draft', ok: false },
];

describe('who may write and publish minutes', () => {
  for (const c of cases) {
    it(`${c.who.name} (${c.who.role}) writing ${c.status ?? 'status-less'} minutes: ${c.ok ? 'allowed' : 'refused'}`, () => {
      const verdict = authorize({ state, actor: c.who, event: minutes(c.who.name, c.status), target: targetEntryOf(call) });
      expect(verdict.ok).toBe(c.ok);
    });
  }

  it('says who may publish when it refuses', () => {
    const verdict = authorize({ state, actor: member('bo'), event: minutes('bo', 'published'), target: targetEntryOf(call) });
    expect(verdict).toEqual({ ok: false, code: 'forbidden', message: 'only the scribe (cy), the commander (ana) or a team admin can publish minutes; write a draft instead' });
  });
});

/*
 * Alerts: the hub writes as the team's integration. Only it may sign so (a cockpit cannot forge
 * an alert, whatever its role), and it may write only what an alert means.
 */
describe('what an alert integration may write, and who may sign as one', () => {
  const AM = integrationAuthor('0190a5c4-0000-7000-8000-0000000000aa', 'prod-am');
  const integration: Actor = { name: AM.name, role: INTEGRATION_ROLE };
  const byIntegration = (kind: ConnEvent['kind'], payload: unknown): ConnEvent => ({ ...ev(kind, payload, 'x'), author: AM }) as ConnEvent;
  const alertDeclared = byIntegration('incident.declared', { title: 'HighErrorRate', severity: 2, services: ['checkout'] });
  const alertState = foldIncident(INCIDENT, [alertDeclared]);

  it('declares, notes and moves to monitoring, and nothing else', () => {
    expect(authorize({ state: null, actor: integration, event: alertDeclared }).ok).toBe(true);
    expect(authorize({ state: alertState, actor: integration, event: byIntegration('note', { text: 'firing again' }) }).ok).toBe(true);
    expect(authorize({ state: alertState, actor: integration, event: byIntegration('status.changed', { status: 'monitoring' }) }).ok).toBe(true);
    expect(authorize({ state: alertState, actor: integration, event: byIntegration('status.changed', { status: 'resolved' }) })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(authorize({ state: alertState, actor: integration, event: byIntegration('role.assigned', { role: 'commander', person: 'ana' }) })).toMatchObject({ ok: false, code: 'forbidden' });
  });

  it('refuses a member signing as an integration, by name or by id, whatever the role (unknown too)', () => {
    for (const role of ['admin', 'member', null] as const) {
      const forgedName = { ...ev('note', { text: 'fake alert' }, AM.name), author: { id: 'p-mallory', name: AM.name } } as ConnEvent;
      expect(authorize({ state: alertState, actor: { name: AM.name, role }, event: forgedName })).toMatchObject({ ok: false, code: 'forbidden' });
      const forgedId = { ...ev('note', { text: 'fake alert' }, 'mallory'), author: { id: AM.id, name: 'mallory' } } as ConnEvent;
      expect(authorize({ state: alertState, actor: { name: 'mallory', role }, event: forgedId })).toMatchObject({ ok: false, code: 'forbidden' });
    }
    expect(isIntegrationName(' Integration:prod-am')).toBe(true);
  });

  it('lets any member take command of an incident an alert opened, but not hand it to someone else', () => {
    const take = ev('role.assigned', { role: 'commander', person: 'bo' }, 'bo');
    expect(authorize({ state: alertState, actor: member('bo'), event: take }).ok).toBe(true);
    const give = ev('role.assigned', { role: 'commander', person: 'cy' }, 'bo');
    expect(authorize({ state: alertState, actor: member('bo'), event: give })).toMatchObject({ ok: false, code: 'forbidden' });
    // Once someone commands it, command is theirs to hand over, as anywhere else.
    const taken = foldIncident(INCIDENT, [alertDeclared, take]);
    expect(authorize({ state: taken, actor: member('cy'), event: ev('role.assigned', { role: 'commander', person: 'cy' }, 'cy') })).toMatchObject({ ok: false, code: 'forbidden' });
  });
});

describe('who may plan a call', () => {
  const planned = (author: string, attendees: string[]) =>
    ev('call.planned', { at: '2026-11-28T16:00:00Z', lengthMin: 30, attendees }, author);
  const planCases: Array<{ who: Actor; attendees: string[]; ok: boolean }> = [
    { who: member('ana'), attendees: ['bo', 'cy'], ok: true },
    { who: member('bo'), attendees: ['Bo', 'cy'], ok: true },
    { who: member('bo'), attendees: ['cy', 'dev'], ok: false },
    { who: { name: 'dev', role: 'admin' }, attendees: ['cy'], ok: true },
    { who: { name: 'eve', role: 'viewer' }, attendees: ['eve'], ok: false },
  ];
  for (const c of planCases) {
    it(`${c.who.name} (${c.who.role}) planning a call with ${c.attendees.join(', ')}: ${c.ok ? 'allowed' : 'refused'}`, () => {
      expect(authorize({ state, actor: c.who, event: planned(c.who.name, c.attendees) }).ok).toBe(c.ok);
    });
  }

  it('says how to plan a call one is not on', () => {
    expect(authorize({ state, actor: member('bo'), event: planned('bo', ['cy']) })).toEqual({
      ok: false,
      code: 'forbidden',
      message: 'only the commander (ana) or a team admin can plan a call you are not on; add yourself to it',
    });
  });
});

describe('who may publish a retrospective', () => {
  const retroState = (author: string, to: 'draft' | 'in-review' | 'published') => ev('retro.state', { state: to }, author);
  const published = foldIncident(INCIDENT, [declared, scribe, retroState('ana', 'published')]);

  it.each([
    ['bo', 'member', 'in-review', true],
    ['bo', 'member', 'published', false],
    ['cy', 'member', 'published', false],
    ['ana', 'member', 'published', true],
    ['dev', 'admin', 'published', true],
  ] as const)('%s (%s) setting a draft to %s: allowed %s', (name, role, to, ok) => {
    expect(authorize({ state, actor: { name, role }, event: retroState(name, to) }).ok).toBe(ok);
  });

  it('keeps a published retrospective published unless the commander or an admin takes it back', () => {
    expect(authorize({ state: published, actor: member('bo'), event: retroState('bo', 'draft') })).toEqual({
      ok: false,
      code: 'forbidden',
      message: 'only the commander (ana) or a team admin can take a published retrospective back to draft or review; send it for review and ask them',
    });
    expect(authorize({ state: published, actor: member('ana'), event: retroState('ana', 'in-review') }).ok).toBe(true);
  });

  it('links only an action item of the same incident as remediation', () => {
    const note = ev('note', { text: 'not an action' }, 'ana');
    const link = ev('retro.edited', { field: 'remediation', target: note.id, linked: true }, 'bo');
    expect(authorize({ state, actor: member('bo'), event: link, target: targetEntryOf(note) })).toMatchObject({ ok: false, code: 'invalid-input' });
    expect(authorize({ state, actor: member('bo'), event: link, target: { ...targetEntryOf(note), incidentId: '0190a5c4-0000-7000-8000-0000000000ff' } })).toMatchObject({ ok: false, code: 'not-found' });
  });
});
