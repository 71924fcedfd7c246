import { describe, expect, it } from 'vitest';
import { computeAlerts, DUE_SOON_MS, EMPTY_MEMORY, formatCountdown, trayView, type DeskIncident } from '../../main/shell/desktop-alerts.js';

const NOW = Date.parse('2026-11-28T10:00:00Z');
const at = (ms: number) => new Date(NOW + ms).toISOString();

function incident(over: Partial<DeskIncident> = {}): DeskIncident {
  return { id: 'i1', ref: 'INC-7KQ2XM', title: 'Checkout 500s', severity: 1, status: 'investigating', nextUpdateDueAt: at(10 * 60_000), actions: [], ...over };
}

describe('desktop notifications', () => {
  it('fires once when a stakeholder update comes due, not before', () => {
    const early = computeAlerts({ me: 'Ana', incidents: [incident({ nextUpdateDueAt: at(DUE_SOON_MS + 1000) })] }, EMPTY_MEMORY, NOW);
    expect(early.notifications).toEqual([]);
    const snap = { me: 'Ana', incidents: [incident({ nextUpdateDueAt: at(DUE_SOON_MS - 1000) })] };
    const first = computeAlerts(snap, early.memory, NOW);
    expect(first.notifications).toMatchObject([{ title: 'INC-7KQ2XM: stakeholder update due soon', ref: 'INC-7KQ2XM' }]);
    expect(computeAlerts(snap, first.memory, NOW + 5000).notifications).toEqual([]);
  });

  it('says overdue when the deadline has passed, and fires again for the next deadline', () => {
    const a = computeAlerts({ me: null, incidents: [incident({ nextUpdateDueAt: at(-60_000) })] }, EMPTY_MEMORY, NOW);
    expect(a.notifications[0]!.title).toMatch(/overdue/);
    const b = computeAlerts({ me: null, incidents: [incident({ nextUpdateDueAt: at(60_000) })] }, a.memory, NOW);
    expect(b.notifications).toHaveLength(1);
  });

  it('stays quiet about resolved incidents', () => {
    const r = computeAlerts({ me: 'Ana', incidents: [incident({ status: 'resolved', nextUpdateDueAt: at(-1) })] }, EMPTY_MEMORY, NOW);
    expect(r.notifications).toEqual([]);
  });

  it('tells me about an action newly assigned to me, whatever the case of my name', () => {
    const before = computeAlerts({ me: 'Ana', incidents: [incident({ nextUpdateDueAt: null })] }, EMPTY_MEMORY, NOW);
    const assigned = incident({ nextUpdateDueAt: null, actions: [{ id: 'a1', text: 'Roll back deploy 1234', owner: 'ana', state: 'open' }] });
    const r = computeAlerts({ me: 'Ana', incidents: [assigned] }, before.memory, NOW);
    expect(r.notifications).toMatchObject([{ title: 'INC-7KQ2XM: action assigned to you', body: 'Roll back deploy 1234' }]);
    expect(computeAlerts({ me: 'Ana', incidents: [assigned] }, r.memory, NOW).notifications).toEqual([]);
  });

  it('does not announce actions that were already mine when the app started', () => {
    const assigned = incident({ nextUpdateDueAt: null, actions: [{ id: 'a1', text: 'x', owner: 'Ana', state: 'open' }] });
    expect(computeAlerts({ me: 'Ana', incidents: [assigned] }, EMPTY_MEMORY, NOW).notifications).toEqual([]);
  });

  it('ignores actions owned by others, done, or redacted', () => {
    const before = computeAlerts({ me: 'Ana', incidents: [] }, EMPTY_MEMORY, NOW).memory;
    const inc = incident({
      nextUpdateDueAt: null,
      actions: [
        { id: 'a1', text: 'x', owner: 'Bo', state: 'open' },
        { id: 'a2', text: 'x', owner: 'Ana', state: 'done' },
        { id: 'a3', text: 'x', owner: 'Ana', state: 'open', redacted: true },
      ],
    });
    expect(computeAlerts({ me: 'Ana', incidents: [inc] }, before, NOW).notifications).toEqual([]);
  });

  it('announces once an incident an alert opened while the app runs, to whoever is at the cockpit', () => {
    const before = computeAlerts({ me: 'Ana', incidents: [] }, EMPTY_MEMORY, NOW).memory;
    const opened = incident({ nextUpdateDueAt: null, severity: 2, title: 'HighErrorRate: checkout 5xx', declaredBy: 'integration:prod-am' });
    const r = computeAlerts({ me: 'Ana', incidents: [opened] }, before, NOW);
    expect(r.notifications).toEqual([{ key: `alert:${opened.id}`, title: `${opened.ref}: SEV2 opened by an alert`, body: 'HighErrorRate: checkout 5xx', ref: opened.ref }]);
    expect(computeAlerts({ me: 'Ana', incidents: [opened] }, r.memory, NOW).notifications).toEqual([]);
    // One a person declared is not news from an alert; one already open at launch is not news at all.
    expect(computeAlerts({ me: 'Ana', incidents: [incident({ nextUpdateDueAt: null, declaredBy: 'Bo' })] }, before, NOW).notifications).toEqual([]);
    expect(computeAlerts({ me: 'Ana', incidents: [opened] }, EMPTY_MEMORY, NOW).notifications).toEqual([]);
  });
});

describe('desktop notifications outside working hours', () => {
  // NOW is 10:00 UTC: 15:30 in Kolkata (inside 09:00-17:00), 02:00 in Los Angeles (outside).
  const kolkata = { timeZone: 'Asia/Kolkata', workingHours: '09:00-17:00' };
  const losAngeles = { timeZone: 'America/Los_Angeles', workingHours: '09:00-17:00' };
  const offer = { id: 'h1', role: 'commander', from: 'Bo', to: 'Ana', acceptedBy: null, redacted: false };

  it('tells me at once about a hand-off offered to me inside my hours', () => {
    const before = computeAlerts({ me: 'Ana', hours: kolkata, incidents: [incident({ nextUpdateDueAt: null })] }, EMPTY_MEMORY, NOW);
    const r = computeAlerts({ me: 'Ana', hours: kolkata, incidents: [incident({ severity: 2, nextUpdateDueAt: null, handoffs: [offer] })] }, before.memory, NOW);
    expect(r.notifications).toMatchObject([{ title: 'INC-7KQ2XM: Bo offers you the commander role' }]);
  });

  it('holds a SEV2 notification outside my hours until they start, then shows it once', () => {
    const sev2 = (handoffs: DeskIncident['handoffs']) => incident({ severity: 2, nextUpdateDueAt: null, handoffs });
    const before = computeAlerts({ me: 'Ana', hours: losAngeles, incidents: [sev2([])] }, EMPTY_MEMORY, NOW);
    const night = computeAlerts({ me: 'Ana', hours: losAngeles, incidents: [sev2([offer])] }, before.memory, NOW);
    expect(night.notifications).toEqual([]);
    // 09:00 PST on 28 November is 17:00 UTC.
    const justBefore = computeAlerts({ me: 'Ana', hours: losAngeles, incidents: [sev2([offer])] }, night.memory, Date.parse('2026-11-28T16:59:00Z'));
    expect(justBefore.notifications).toEqual([]);
    const morning = computeAlerts({ me: 'Ana', hours: losAngeles, incidents: [sev2([offer])] }, justBefore.memory, Date.parse('2026-11-28T17:00:00Z'));
    expect(morning.notifications).toMatchObject([{ key: 'handoff:h1' }]);
    expect(computeAlerts({ me: 'Ana', hours: losAngeles, incidents: [sev2([offer])] }, morning.memory, Date.parse('2026-11-28T17:01:00Z')).notifications).toEqual([]);
  });

  it('wakes me for a SEV1', () => {
    const before = computeAlerts({ me: 'Ana', hours: losAngeles, incidents: [incident({ nextUpdateDueAt: null })] }, EMPTY_MEMORY, NOW);
    const r = computeAlerts({ me: 'Ana', hours: losAngeles, incidents: [incident({ severity: 1, nextUpdateDueAt: null, handoffs: [offer] })] }, before.memory, NOW);
    expect(r.notifications).toHaveLength(1);
  });

  it('does not tell me about offers to someone else or already taken', () => {
    const before = computeAlerts({ me: 'Ana', hours: kolkata, incidents: [] }, EMPTY_MEMORY, NOW).memory;
    const inc = incident({ nextUpdateDueAt: null, handoffs: [{ ...offer, to: 'Cy' }, { ...offer, id: 'h2', acceptedBy: 'Ana' }] });
    expect(computeAlerts({ me: 'Ana', hours: kolkata, incidents: [inc] }, before, NOW).notifications).toEqual([]);
  });
});

describe('the tray', () => {
  it('features the worst active incident with its countdown', () => {
    const v = trayView([incident({ id: 'b', ref: 'INC-00000B', severity: 3 }), incident({ nextUpdateDueAt: at(4 * 60_000 + 5000) })], NOW);
    expect(v).toEqual({ title: 'INC-7KQ2XM update in 4:05', tooltip: 'Conn — SEV1 INC-7KQ2XM Checkout 500s: update in 4:05 (+1 more)', ref: 'INC-7KQ2XM' });
  });

  it('says so when nothing is active', () => {
    expect(trayView([incident({ status: 'closed' })], NOW)).toEqual({ title: '', tooltip: 'Conn — no active incident', ref: null });
  });

  it('formats countdowns and overdue times', () => {
    expect(formatCountdown(65_000)).toBe('in 1:05');
    expect(formatCountdown(-70_000)).toBe('overdue by 1:10');
    expect(formatCountdown(3_725_000)).toBe('in 1:02:05');
  });
});
