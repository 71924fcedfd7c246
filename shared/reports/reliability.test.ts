import { describe, expect, it } from 'vitest';
import type { ConnEvent } from '../domain/events.js';
import { foldIncident, type IncidentState } from '../domain/fold.js';
import type { Severity } from '../domain/severity.js';
import { formatHlc } from '../sync/hlc.js';
import { DEFAULT_SLO, NO_SERVICE, reliabilityReport, SloSettingsSchema, statsOf } from './reliability.js';

const H = 3_600_000;
const FROM = Date.UTC(2026, 10, 1);
const TO = FROM + 28 * 24 * H; // four weeks
const at = (hours: number) => new Date(FROM + hours * H).toISOString();

let seq = 0;
const nextId = () => `0190a5c4-0000-7000-8000-${String(++seq).padStart(12, '0')}`;

/** An incident worked through real events, so the fold decides its milestones (hand-set ones included). */
function worked(declaredAtHours: number, severity: Severity, services: string[], steps: Array<[number, ConnEvent['kind'], unknown, string?]> = []): IncidentState {
  const incidentId = nextId();
  const ev = (hours: number, kind: ConnEvent['kind'], payload: unknown, author = 'ana'): ConnEvent =>
    ({ id: nextId(), incidentId, hlc: formatHlc({ wall: FROM + hours * H, counter: 0 }), author: { id: `p-${author}`, name: author }, kind, payload }) as ConnEvent;
  return foldIncident(incidentId, [ev(declaredAtHours, 'incident.declared', { title: 'x', severity, services }), ...steps.map(([h, k, p, a]) => ev(h, k, p, a))]);
}
const status = (h: number, s: string): [number, ConnEvent['kind'], unknown] => [h, 'status.changed', { status: s }];
const milestone = (h: number, m: string, atHours: number): [number, ConnEvent['kind'], unknown] => [h, 'milestone.set', { milestone: m, at: at(atHours) }];

describe('statsOf', () => {
  it.each([
    { values: [], expected: { samples: 0, meanMs: null, medianMs: null, p90Ms: null } },
    { values: [5], expected: { samples: 1, meanMs: 5, medianMs: 5, p90Ms: 5 } },
    { values: [4, 1, 3, 2], expected: { samples: 4, meanMs: 2.5, medianMs: 2.5, p90Ms: 4 } },
    // Nearest rank: 90% of ten values are at or below the 9th.
    { values: [10, 9, 8, 7, 6, 5, 4, 3, 2, 1], expected: { samples: 10, meanMs: 5.5, medianMs: 5.5, p90Ms: 9 } },
    { values: [1, 1, 1, 100], expected: { samples: 4, meanMs: 25.75, medianMs: 1, p90Ms: 100 } },
  ])('$values → median $expected.medianMs, p90 $expected.p90Ms', ({ values, expected }) => {
    expect(statsOf(values)).toEqual(expected);
  });
});

describe('reliability report', () => {
  const report = (incidents: IncidentState[], slo = DEFAULT_SLO) => reliabilityReport(incidents, new Date(FROM), new Date(TO), slo);

  it.each([
    {
      name: 'a plain incident: detect 0, acknowledge at the first act, mitigate and resolve from the status history',
      incident: () => worked(10, 2, ['api'], [[10.5, 'note', { text: 'looking' }, 'bo'], status(11, 'monitoring'), status(12, 'resolved')]),
      expected: { detect: 0, acknowledge: 0.5 * H, mitigate: 1 * H, resolve: 2 * H },
    },
    {
      name: 'hand-set milestones win over derived ones',
      incident: () => worked(10, 2, ['api'], [status(11, 'resolved'), milestone(12, 'impactStartedAt', 9), milestone(12, 'mitigatedAt', 10.25)]),
      expected: { detect: 1 * H, acknowledge: 1 * H, mitigate: 1.25 * H, resolve: 2 * H },
    },
    {
      name: 'a reopened incident is measured to its final mitigation and resolution',
      incident: () => worked(10, 2, ['api'], [status(11, 'resolved'), status(12, 'investigating'), status(13, 'monitoring'), status(14, 'resolved')]),
      expected: { detect: 0, acknowledge: 1 * H, mitigate: 3 * H, resolve: 4 * H },
    },
    {
      name: 'missing milestones leave the incident out of those measures, not at zero',
      incident: () => worked(10, 3, ['api']),
      expected: { detect: 0, acknowledge: null, mitigate: null, resolve: null },
    },
  ])('$name', ({ incident, expected }) => {
    const r = report([incident()]);
    expect(r.overall.measures.detect.meanMs).toBe(expected.detect);
    expect(r.overall.measures.acknowledge.meanMs).toBe(expected.acknowledge);
    expect(r.overall.measures.mitigate.meanMs).toBe(expected.mitigate);
    expect(r.overall.measures.resolve.meanMs).toBe(expected.resolve);
    expect(r.overall.measures.resolve.samples).toBe(expected.resolve === null ? 0 : 1);
  });

  it('counts an incident in the period it was declared in, whatever its back-dated impact start', () => {
    const before = worked(-5, 1, ['api'], [status(-4, 'resolved')]);
    const edge = worked(1, 1, ['api'], [milestone(2, 'impactStartedAt', -3), status(3, 'resolved')]);
    const after = worked(28 * 24 + 1, 1, ['api']);
    const r = report([before, edge, after]);
    expect(r.overall.incidents).toBe(1);
    expect(r.overall.measures.resolve.meanMs).toBe(6 * H);
  });

  it('breaks measures down by each service an incident names and by severity, with what is still open', () => {
    const r = report([
      worked(1, 1, ['api', 'web'], [status(2, 'resolved')]),
      worked(3, 2, ['api'], [status(5, 'resolved')]),
      worked(4, 2, []),
    ]);
    expect(r.byService.map((g) => [g.key, g.incidents, g.open, g.measures.resolve.medianMs])).toEqual([
      [NO_SERVICE, 1, 1, null],
      ['api', 2, 0, 1.5 * H],
      ['web', 1, 0, 1 * H],
    ]);
    expect(r.bySeverity.map((g) => [g.key, g.incidents, g.measures.resolve.p90Ms])).toEqual([
      ['SEV1', 1, 1 * H],
      ['SEV2', 2, 2 * H],
    ]);
  });

  it('counts incidents per week, oldest week first, by severity', () => {
    const r = report([worked(1, 1, ['api']), worked(2, 3, ['api']), worked(27 * 24, 4, ['web'])]);
    expect(r.weeks).toHaveLength(4);
    expect(r.weeks[0]).toMatchObject({ start: at(0), end: at(7 * 24), incidents: 2, bySeverity: { SEV1: 1, SEV3: 1, SEV4: 0 } });
    expect(r.weeks.map((w) => w.incidents)).toEqual([2, 0, 0, 1]);
    expect(r.weeks[3]!.end).toBe(new Date(TO).toISOString());
  });

  it('clips downtime at the period edge, counts overlaps once and leaves minor incidents out', () => {
    const r = report([
      // Began 2h before the period, mitigated 1h into it: 1h of it is inside.
      worked(-2, 1, ['api'], [status(1, 'monitoring')]),
      worked(10, 1, ['api', 'web'], [status(12, 'monitoring')]),
      worked(11, 2, ['api'], [status(13, 'resolved')]),
      worked(20, 3, ['api'], [status(30, 'resolved')]),
    ]);
    const api = r.uptime.find((u) => u.service === 'api')!;
    expect(api.downtimeMs).toBe(1 * H + 3 * H);
    expect(api.incidents).toBe(3);
    expect(r.uptime.find((u) => u.service === 'web')!.downtimeMs).toBe(2 * H);
  });

  it('keeps an unmitigated incident down until the end of the period', () => {
    const r = report([worked(28 * 24 - 3, 1, ['api'])]);
    expect(r.uptime[0]!.downtimeMs).toBe(3 * H);
  });

  it('spends the error budget of each service against its own target, and may overspend it', () => {
    const slo = { targetPercent: 99.9, downtimeSeverity: 2 as const, services: { payments: 99.99, idle: 99.5 } };
    const r = report([worked(10, 1, ['api'], [status(10.5, 'monitoring')]), worked(10, 1, ['payments'], [status(11, 'monitoring')])], slo);
    const period = 28 * 24 * H;
    const byName = Object.fromEntries(r.uptime.map((u) => [u.service, u]));
    expect(Object.keys(byName)).toEqual(['api', 'idle', 'payments']);
    expect(byName['api']).toMatchObject({ targetPercent: 99.9, budgetMs: Math.round(0.001 * period), budgetLeftMs: Math.round(0.001 * period) - 0.5 * H });
    expect(byName['api']!.budgetLeftPercent).toBeCloseTo(100 * (1 - (0.5 * H) / (0.001 * period)), 6);
    expect(byName['idle']).toMatchObject({ downtimeMs: 0, uptimePercent: 100, budgetLeftPercent: 100 });
    expect(byName['payments']!.budgetLeftMs).toBeLessThan(0);
  });

  it('counts lower severities as downtime when the team says so, and has no budget at a 100% target', () => {
    const minor = worked(10, 3, ['api'], [status(11, 'monitoring')]);
    expect(report([minor]).uptime[0]!.downtimeMs).toBe(0);
    const strict = report([minor], { targetPercent: 100, downtimeSeverity: 3, services: {} }).uptime[0]!;
    expect(strict).toMatchObject({ downtimeMs: H, budgetMs: 0, budgetLeftPercent: null });
  });

  it('refuses SLO settings out of range with a sentence', () => {
    expect(SloSettingsSchema.safeParse(DEFAULT_SLO).success).toBe(true);
    const bad = SloSettingsSchema.safeParse({ ...DEFAULT_SLO, targetPercent: 120 });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toBe('an SLO target is at most 100%');
  });
});
