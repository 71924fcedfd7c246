import { z } from 'zod';
import type { IncidentState } from '../domain/fold.js';
import { SEVERITIES, SeveritySchema, type Severity } from '../domain/severity.js';
import { isActiveStatus } from '../domain/status.js';
import { mergeWindows, span } from './metrics.js';

/*
 * The reliability report: MTTx by service and by severity, incidents per week, and uptime per
 * service against the team's SLO. Pure, so the CLI, the app and the tests get the same numbers.
 *
 * Which incidents: those declared in [from, to). The declaration is never back-dated, so an
 * incident belongs to one period whatever its hand-set milestones say.
 * Measures (from the folded milestones, where a hand-set milestone wins over the derived one):
 *   detect = detectedAt − impactStartedAt      acknowledge = acknowledgedAt − detectedAt
 *   mitigate = mitigatedAt − impactStartedAt   resolve = resolvedAt − impactStartedAt
 * An incident missing either end of a measure (still open, never acknowledged), or whose ends are
 * out of order, is left out of that measure and not counted as zero: `samples` says how many count.
 * Median is the middle value (the mean of the two middle ones for an even count); p90 is the
 * nearest-rank 90th percentile (the smallest value at least 90% of the samples are at or below).
 *
 * Uptime: a service is down from an incident's impact start to its mitigation (else its
 * resolution, else the end of the period), for incidents at the SLO's downtime severity or worse
 * (SEV1–SEV2 by default: a SEV4 is not an outage). Windows are clipped to the period, so an
 * incident that began before it counts only its part inside; overlapping windows of one service
 * count once. A reopened incident is down until its final mitigation. The error budget is
 * (100% − target) of the period; what is left may be negative (overspent).
 */

export const MEASURES = ['detect', 'acknowledge', 'mitigate', 'resolve'] as const;
export type Measure = (typeof MEASURES)[number];

/** A service's target, as a percentage of the period it is up: 99.9 allows 43m 12s down in 30 days. */
const TargetPercent = z.number().min(50, 'an SLO target is at least 50%').max(100, 'an SLO target is at most 100%');

/** What the team sets: one target for every service, others for some, and what counts as down. */
export const SloSettingsSchema = z
  .object({
    targetPercent: TargetPercent,
    /** Incidents at this severity or worse count as downtime. */
    downtimeSeverity: SeveritySchema,
    services: z.record(z.string().trim().min(1).max(100), TargetPercent).refine((r) => Object.keys(r).length <= 200, 'at most 200 services have their own target'),
  })
  .strict();
export type SloSettings = z.infer<typeof SloSettingsSchema>;
export const DEFAULT_SLO: SloSettings = { targetPercent: 99.9, downtimeSeverity: 2, services: {} };

export interface MeasureStats {
  samples: number;
  meanMs: number | null;
  medianMs: number | null;
  p90Ms: number | null;
}

export interface GroupRow {
  /** The service, "SEV2", or "all". */
  key: string;
  incidents: number;
  /** Still active at the time of the report. */
  open: number;
  measures: Record<Measure, MeasureStats>;
}

export interface WeekRow {
  /** [start, end): seven days counted back from the report's end, the first one clipped to its start. */
  start: string;
  end: string;
  incidents: number;
  bySeverity: Record<`SEV${Severity}`, number>;
}

export interface UptimeRow {
  service: string;
  targetPercent: number;
  downtimeMs: number;
  uptimePercent: number;
  /** Incidents that took the service down within the period. */
  incidents: number;
  budgetMs: number;
  budgetLeftMs: number;
  /** Share of the budget left; null when the target is 100% (no budget at all). */
  budgetLeftPercent: number | null;
}

export interface ReliabilityReport {
  from: string;
  to: string;
  slo: SloSettings;
  overall: GroupRow;
  byService: GroupRow[];
  bySeverity: GroupRow[];
  weeks: WeekRow[];
  uptime: UptimeRow[];
}

/** The key of incidents that name no service. */
export const NO_SERVICE = '(no service)';
const WEEK_MS = 7 * 86_400_000;

function measureOf(i: IncidentState, m: Measure): number | null {
  const ms = i.milestones;
  switch (m) {
    case 'detect':
      return span(ms.impactStartedAt, ms.detectedAt);
    case 'acknowledge':
      return span(ms.detectedAt, ms.acknowledgedAt);
    case 'mitigate':
      return span(ms.impactStartedAt, ms.mitigatedAt);
    case 'resolve':
      return span(ms.impactStartedAt, ms.resolvedAt);
  }
}

/** Mean, median and nearest-rank p90 of some durations; nulls when there are none. */
export function statsOf(values: number[]): MeasureStats {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { samples: 0, meanMs: null, medianMs: null, p90Ms: null };
  const mid = Math.floor(n / 2);
  return {
    samples: n,
    meanMs: sorted.reduce((a, b) => a + b, 0) / n,
    medianMs: n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2,
    p90Ms: sorted[Math.ceil(0.9 * n) - 1]!,
  };
}

function groupRow(key: string, incidents: IncidentState[]): GroupRow {
  const measures = {} as Record<Measure, MeasureStats>;
  for (const m of MEASURES) measures[m] = statsOf(incidents.map((i) => measureOf(i, m)).filter((v): v is number => v !== null));
  return { key, incidents: incidents.length, open: incidents.filter((i) => isActiveStatus(i.status)).length, measures };
}

function groupBy(incidents: IncidentState[], keysOf: (i: IncidentState) => string[]): Map<string, IncidentState[]> {
  const groups = new Map<string, IncidentState[]>();
  for (const i of incidents) for (const k of keysOf(i)) groups.set(k, [...(groups.get(k) ?? []), i]);
  return groups;
}

function servicesOf(i: IncidentState): string[] {
  return i.services.length ? [...new Set(i.services)] : [NO_SERVICE];
}

function weeksOf(incidents: IncidentState[], from: number, to: number): WeekRow[] {
  const weeks: WeekRow[] = [];
  for (let end = to; end > from; end -= WEEK_MS) {
    const start = Math.max(from, end - WEEK_MS);
    const inWeek = incidents.filter((i) => {
      const at = Date.parse(i.declaredAt!);
      return at >= start && at < end;
    });
    const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [`SEV${s}`, inWeek.filter((i) => i.severity === s).length])) as WeekRow['bySeverity'];
    weeks.unshift({ start: new Date(start).toISOString(), end: new Date(end).toISOString(), incidents: inWeek.length, bySeverity });
  }
  return weeks;
}

function uptimeOf(all: IncidentState[], declaredIn: IncidentState[], from: number, to: number, slo: SloSettings): UptimeRow[] {
  const windows = new Map<string, Array<[number, number]>>();
  const downIncidents = new Map<string, number>();
  for (const i of all) {
    if (i.severity > slo.downtimeSeverity || !i.milestones.impactStartedAt) continue;
    const endIso = i.milestones.mitigatedAt ?? i.milestones.resolvedAt;
    const start = Math.max(Date.parse(i.milestones.impactStartedAt), from);
    const end = Math.min(endIso ? Date.parse(endIso) : to, to);
    if (end <= start) continue;
    for (const s of servicesOf(i)) {
      windows.set(s, [...(windows.get(s) ?? []), [start, end]]);
      downIncidents.set(s, (downIncidents.get(s) ?? 0) + 1);
    }
  }
  const period = to - from;
  // Every service the period's incidents name, every service with a target of its own, every one that was down.
  const services = [...new Set([...declaredIn.flatMap(servicesOf), ...Object.keys(slo.services), ...windows.keys()])].sort();
  return services.map((service) => {
    const targetPercent = slo.services[service] ?? slo.targetPercent;
    const downtimeMs = mergeWindows(windows.get(service) ?? []).reduce((a, [s, e]) => a + (e - s), 0);
    const budgetMs = Math.round(((100 - targetPercent) / 100) * period);
    const budgetLeftMs = budgetMs - downtimeMs;
    return {
      service,
      targetPercent,
      downtimeMs,
      uptimePercent: period > 0 ? 100 * (1 - downtimeMs / period) : 100,
      incidents: downIncidents.get(service) ?? 0,
      budgetMs,
      budgetLeftMs,
      budgetLeftPercent: budgetMs > 0 ? (100 * budgetLeftMs) / budgetMs : null,
    };
  });
}

/** The report over [from, to) from every folded incident the cockpit has (any period, any state). */
export function reliabilityReport(all: IncidentState[], from: Date, to: Date, slo: SloSettings = DEFAULT_SLO): ReliabilityReport {
  const f = from.getTime();
  const t = to.getTime();
  const declaredIn = all.filter((i) => i.declared && i.declaredAt !== null && Date.parse(i.declaredAt) >= f && Date.parse(i.declaredAt) < t);
  const byService = [...groupBy(declaredIn, servicesOf)].sort(([a], [b]) => a.localeCompare(b)).map(([k, list]) => groupRow(k, list));
  const bySeverity = SEVERITIES.flatMap((s) => {
    const list = declaredIn.filter((i) => i.severity === s);
    return list.length ? [groupRow(`SEV${s}`, list)] : [];
  });
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    slo,
    overall: groupRow('all', declaredIn),
    byService,
    bySeverity,
    weeks: weeksOf(declaredIn, f, t),
    uptime: uptimeOf(all, declaredIn, f, t, slo),
  };
}
