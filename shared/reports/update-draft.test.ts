import { describe, expect, it } from 'vitest';
import { foldIncident } from '../domain/fold.js';
import { draftUpdate, nextUpdateAfterPosting } from './update-draft.js';
import { incidentEvents } from './__tests__/events.js';

/* The stakeholder-update draft: what each audience reads, from the incident's state. */

function checkoutIncident() {
  const inc = incidentEvents(7);
  inc.ev('2026-03-02T09:00:00Z', 'Ana', 'incident.declared', { title: 'Checkout returns 502', severity: 1, services: ['checkout', 'payments'], summary: 'About 40% of checkouts fail since the 4.2.1 deploy.' });
  inc.ev('2026-03-02T09:05:00Z', 'Ana', 'status.changed', { status: 'identified' });
  inc.ev('2026-03-02T09:06:00Z', 'Ana', 'action.added', { text: 'Roll back 4.2.1', owner: 'Bo' });
  inc.ev('2026-03-02T09:07:00Z', 'Ana', 'decision', { text: 'Freeze deploys until the rollback is done' });
  return { inc, state: foldIncident(inc.incidentId, inc.events) };
}

const now = new Date('2026-03-02T09:10:00Z');

describe('draftUpdate', () => {
  it('writes the internal update with impact, services, status, open actions with owners, the commander and the next update time', () => {
    const { state } = checkoutIncident();
    expect(draftUpdate({ state, audience: 'internal', timeZone: 'UTC', now })).toBe(
      [
        `SEV1 ${state.ref}: Checkout returns 502`,
        'Impact: About 40% of checkouts fail since the 4.2.1 deploy.',
        'Services: checkout, payments',
        'Status: identified: the cause is known, a fix is under way',
        'What we are doing:\n- Roll back 4.2.1 (Bo)',
        'Commander: Ana',
        // SEV1: every 20 minutes from this update, on the writer's clock.
        'Next update: by 09:30 UTC',
      ].join('\n'),
    );
  });

  it('writes for customers without internal words, names or the reference', () => {
    const { state } = checkoutIncident();
    const text = draftUpdate({ state, audience: 'customers', timeZone: 'UTC', now });
    expect(text).toBe(
      [
        'We are seeing problems with checkout, payments.',
        'About 40% of checkouts fail since the 4.2.1 deploy.',
        'We have found the cause and are working on a fix.',
        'We will post another update by 09:30 UTC.',
      ].join('\n\n'),
    );
    expect(text).not.toMatch(/Bo|Ana|INC-|identified|SEV/);
  });

  it('writes for executives without owners, and falls back to the latest decision when no action is open', () => {
    const { inc } = checkoutIncident();
    inc.ev('2026-03-02T09:08:00Z', 'Bo', 'action.updated', { target: inc.events[2]!.id, state: 'done' });
    const state = foldIncident(inc.incidentId, inc.events);
    const text = draftUpdate({ state, audience: 'executives', timeZone: 'UTC', now });
    expect(text).toContain('What we are doing:\n- Freeze deploys until the rollback is done');
    expect(text).not.toContain('Commander');
    expect(text).not.toContain('(Bo)');
  });

  it('asks for the impact when the incident has no summary, and promises no next update once resolved', () => {
    const inc = incidentEvents(8);
    inc.ev('2026-03-02T09:00:00Z', 'Ana', 'incident.declared', { title: 'Search is slow', severity: 3, services: [] });
    inc.ev('2026-03-02T09:30:00Z', 'Ana', 'status.changed', { status: 'resolved' });
    const state = foldIncident(inc.incidentId, inc.events);
    expect(draftUpdate({ state, audience: 'internal', timeZone: 'UTC', now })).toContain('Impact: (describe who is affected and how)');
    expect(draftUpdate({ state, audience: 'internal', timeZone: 'UTC', now })).not.toContain('Next update');
    expect(draftUpdate({ state, audience: 'customers', timeZone: 'UTC', now })).toBe('We are seeing problems with Search is slow.\n\nThe issue is resolved.');
  });

  it('dates the next update when it falls on another day on the writer\'s clock', () => {
    const inc = incidentEvents(9);
    inc.ev('2026-03-02T20:00:00Z', 'Ana', 'incident.declared', { title: 'Queue backlog', severity: 4, services: [] });
    const state = foldIncident(inc.incidentId, inc.events);
    // SEV4: every 240 minutes; 22:30 + 4h is tomorrow.
    expect(draftUpdate({ state, audience: 'internal', timeZone: 'UTC', now: new Date('2026-03-02T22:30:00Z') })).toContain('Next update: by 2026-03-03 02:30 UTC');
  });
});

describe('nextUpdateAfterPosting', () => {
  it('is the severity\'s cadence from now, and null for SEV5', () => {
    const { state } = checkoutIncident();
    expect(nextUpdateAfterPosting(state, now)).toBe('2026-03-02T09:30:00.000Z');
    expect(nextUpdateAfterPosting({ ...state, severity: 5 }, now)).toBeNull();
  });
});
