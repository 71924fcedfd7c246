import { describe, expect, it } from 'vitest';
import { formatHlc } from '../sync/hlc.js';
import { authorize, targetEntryOf, type Actor } from './authority.js';
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
