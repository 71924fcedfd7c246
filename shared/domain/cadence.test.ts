import { describe, expect, it } from 'vitest';
import { incidentEvents } from '../reports/__tests__/events.js';
import { draftUpdate, nextUpdateAfterPosting } from '../reports/update-draft.js';
import { applyCadenceChanges, CadenceChangesSchema, CadenceSchema, cadenceSpec, DEFAULT_CADENCE, describeCadenceStep, parseCadenceSpec, sameCadence, type Cadence } from './cadence.js';
import { foldIncident, withCadence } from './fold.js';

/*
 * A team's update cadence: what an admin types, what the wire accepts, and how the due time of
 * the next stakeholder update follows it. The fold takes the cadence as a parameter, and a stored
 * projection takes it at read time (withCadence); both must agree.
 */

const TEAM: Cadence = { 1: { firstMin: 15, everyMin: 15 }, 2: { firstMin: 10, everyMin: 60 }, 3: null, 4: { firstMin: 60, everyMin: 240 }, 5: null };

describe('parseCadenceSpec', () => {
  it.each([
    ['SEV1=15m', { 1: { firstMin: 15, everyMin: 15 } }],
    ['SEV1=5m/20m', { 1: { firstMin: 5, everyMin: 20 } }],
    ['sev2=1h, 3=90m  SEV4=1h30m', { 2: { firstMin: 60, everyMin: 60 }, 3: { firstMin: 90, everyMin: 90 }, 4: { firstMin: 90, everyMin: 90 } }],
    ['SEV5=24h,SEV3=none', { 5: { firstMin: 1440, everyMin: 1440 }, 3: null }],
    ['SEV1=1m', { 1: { firstMin: 1, everyMin: 1 } }],
  ])('reads %s', (text, expected) => {
    expect(parseCadenceSpec(text)).toEqual(expected);
  });

  it.each([
    ['', 'no cadence given'],
    ['SEV1', '"SEV1" is not SEVn=interval'],
    ['SEV6=15m', 'unknown severity "SEV6": use SEV1 to SEV5'],
    ['SEV1=15', 'SEV1: "15" has no unit: write 15m or 15h'],
    ['SEV1=0m', 'SEV1: 0m is out of range: an update cadence must be from 1m to 24h'],
    ['SEV2=25h', 'SEV2: 25h is out of range: an update cadence must be from 1m to 24h'],
    ['SEV2=5m/24h1m', 'SEV2: 24h1m is out of range'],
    ['SEV1=15s', 'SEV1: "15s" is not a duration'],
    ['SEV1=5m/10m/20m', 'write one interval'],
    ['SEV1=15m,sev1=20m', 'SEV1 is given twice'],
  ])('refuses %j, saying why', (text, message) => {
    expect(() => parseCadenceSpec(text)).toThrow(message);
  });

  it('round-trips through cadenceSpec', () => {
    expect(cadenceSpec(DEFAULT_CADENCE)).toBe('SEV1=5m/20m,SEV2=15m/30m,SEV3=30m/1h,SEV4=1h/4h,SEV5=none');
    expect(applyCadenceChanges(DEFAULT_CADENCE, parseCadenceSpec(cadenceSpec(TEAM)))).toEqual(TEAM);
  });
});

describe('the cadence schemas', () => {
  it('take a whole table, and refuse an interval outside 1m-24h or a missing severity', () => {
    expect(CadenceSchema.parse(JSON.parse(JSON.stringify(TEAM)))).toEqual(TEAM);
    expect(CadenceSchema.safeParse({ ...TEAM, 1: { firstMin: 0, everyMin: 20 } }).success).toBe(false);
    expect(CadenceSchema.safeParse({ ...TEAM, 1: { firstMin: 5, everyMin: 1441 } }).success).toBe(false);
    expect(CadenceSchema.safeParse({ ...TEAM, 1: { firstMin: 5.5, everyMin: 20 } }).success).toBe(false);
    const { 5: _five, ...four } = TEAM;
    expect(CadenceSchema.safeParse(four).success).toBe(false);
  });

  it('take changes to some severities, at least one', () => {
    expect(CadenceChangesSchema.parse({ 2: null })).toEqual({ 2: null });
    expect(CadenceChangesSchema.safeParse({}).success).toBe(false);
    expect(CadenceChangesSchema.safeParse({ 6: null }).success).toBe(false);
  });
});

describe('applying changes', () => {
  it('changes the named severities and keeps the others', () => {
    const after = applyCadenceChanges(DEFAULT_CADENCE, { 2: { firstMin: 10, everyMin: 60 }, 5: { firstMin: 60, everyMin: 60 } });
    expect(after).toEqual({ ...DEFAULT_CADENCE, 2: { firstMin: 10, everyMin: 60 }, 5: { firstMin: 60, everyMin: 60 } });
    expect(sameCadence(after, DEFAULT_CADENCE)).toBe(false);
    expect(sameCadence(applyCadenceChanges(after, { 2: DEFAULT_CADENCE[2]!, 5: null }), DEFAULT_CADENCE)).toBe(true);
  });

  it('describes each step as a person reads it', () => {
    expect([describeCadenceStep(DEFAULT_CADENCE[1]!), describeCadenceStep(TEAM[1]!), describeCadenceStep(null)]).toEqual([
      'first within 5m, then every 20m',
      'every 15m',
      'none owed',
    ]);
  });
});

describe('the due time under a team cadence', () => {
  const inc = incidentEvents(1);
  inc.ev('2026-03-02T09:00:00Z', 'ana', 'incident.declared', { title: 'Checkout 5xx', severity: 2, services: ['checkout'] });

  it('follows the team\'s SEV2 entry from the declaration, then from the last update', () => {
    expect(foldIncident(inc.incidentId, inc.events).nextUpdateDueAt).toBe('2026-03-02T09:15:00.000Z');
    expect(foldIncident(inc.incidentId, inc.events, TEAM).nextUpdateDueAt).toBe('2026-03-02T09:10:00.000Z');
    const later = incidentEvents(2);
    later.ev('2026-03-02T09:00:00Z', 'ana', 'incident.declared', { title: 'Checkout 5xx', severity: 2, services: ['checkout'] });
    later.ev('2026-03-02T09:05:00Z', 'ana', 'update.posted', { text: 'We are looking into checkout errors' });
    expect(foldIncident(later.incidentId, later.events, TEAM).nextUpdateDueAt).toBe('2026-03-02T10:05:00.000Z');
  });

  it('owes nothing for a severity the team set to none', () => {
    expect(foldIncident(inc.incidentId, inc.events, { ...TEAM, 2: null }).nextUpdateDueAt).toBeNull();
  });

  it('is the same whether folded under the cadence or applied to a state folded with the defaults', () => {
    for (const c of [TEAM, DEFAULT_CADENCE, { ...TEAM, 2: null }]) {
      expect(withCadence(foldIncident(inc.incidentId, inc.events), c)).toEqual(foldIncident(inc.incidentId, inc.events, c));
    }
  });

  it('times the draft\'s "next update" by the team cadence', () => {
    const state = foldIncident(inc.incidentId, inc.events, TEAM);
    const now = new Date('2026-03-02T09:20:00Z');
    expect(nextUpdateAfterPosting(state, now, TEAM)).toBe('2026-03-02T10:20:00.000Z');
    expect(draftUpdate({ state, audience: 'internal', timeZone: 'UTC', now, cadence: TEAM })).toContain('Next update: by 10:20 UTC');
  });
});
