import type { IncidentState } from '../domain/fold.js';

/*
 * MTTx and uptime from folded incidents. Pure, so the CLI, the app and the tests agree.
 * Definitions (the usual ones, stated so nobody argues about them at 3 a.m.):
 *   time to detect    = detectedAt     − impactStartedAt
 *   time to acknowledge = acknowledgedAt − detectedAt
 *   time to mitigate  = mitigatedAt    − impactStartedAt
 *   time to resolve   = resolvedAt     − impactStartedAt
 * An incident missing either end of a measure is left out of that measure, not counted as zero.
 */

export interface MttxSummary {
  incidents: number;
  meanMs: Record<'detect' | 'acknowledge' | 'mitigate' | 'resolve', number | null>;
  samples: Record<'detect' | 'acknowledge' | 'mitigate' | 'resolve', number>;
}

function span(from: string | null, to: string | null): number | null {
  if (!from || !to) return null;
  const d = Date.parse(to) - Date.parse(from);
  return d >= 0 ? d : null;
}

export function mttx(incidents: IncidentState[]): MttxSummary {
  const measures = {
    detect: incidents.map((i) => span(i.milestones.impactStartedAt, i.milestones.detectedAt)),
    acknowledge: incidents.map((i) => span(i.milestones.detectedAt, i.milestones.acknowledgedAt)),
    mitigate: incidents.map((i) => span(i.milestones.impactStartedAt, i.milestones.mitigatedAt)),
    resolve: incidents.map((i) => span(i.milestones.impactStartedAt, i.milestones.resolvedAt)),
  };
  const meanMs = {} as MttxSummary['meanMs'];
  const samples = {} as MttxSummary['samples'];
  for (const [k, values] of Object.entries(measures) as Array<[keyof typeof measures, Array<number | null>]>) {
    const present = values.filter((v): v is number => v !== null);
    samples[k] = present.length;
    meanMs[k] = present.length ? present.reduce((a, b) => a + b, 0) / present.length : null;
  }
  return { incidents: incidents.length, meanMs, samples };
}

export interface UptimeRow {
  service: string;
  downtimeMs: number;
  uptimePercent: number;
  incidents: number;
}

/**
 * Uptime per service over [from, to): impact windows (impact start → mitigation, or → resolution,
 * or → `to` while still open) of SEV1–SEV2 incidents count as downtime; overlapping windows of one
 * service count once.
 */
export function uptimeByService(incidents: IncidentState[], from: Date, to: Date, maxSeverity = 2): UptimeRow[] {
  const windows = new Map<string, Array<[number, number]>>();
  const counts = new Map<string, number>();
  for (const i of incidents) {
    if (i.severity > maxSeverity || !i.milestones.impactStartedAt) continue;
    const start = Math.max(Date.parse(i.milestones.impactStartedAt), from.getTime());
    const endIso = i.milestones.mitigatedAt ?? i.milestones.resolvedAt;
    const end = Math.min(endIso ? Date.parse(endIso) : to.getTime(), to.getTime());
    for (const s of i.services) counts.set(s, (counts.get(s) ?? 0) + 1);
    if (end <= start) continue;
    for (const s of i.services) windows.set(s, [...(windows.get(s) ?? []), [start, end]]);
  }
  const total = to.getTime() - from.getTime();
  const services = [...counts.keys()].sort();
  return services.map((service) => {
    const merged = mergeWindows(windows.get(service) ?? []);
    const downtimeMs = merged.reduce((a, [s, e]) => a + (e - s), 0);
    return { service, downtimeMs, uptimePercent: total > 0 ? 100 * (1 - downtimeMs / total) : 100, incidents: counts.get(service) ?? 0 };
  });
}

function mergeWindows(ws: Array<[number, number]>): Array<[number, number]> {
  const sorted = [...ws].sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const w of sorted) {
    const last = out[out.length - 1];
    if (last && w[0] <= last[1]) last[1] = Math.max(last[1], w[1]);
    else out.push([w[0], w[1]]);
  }
  return out;
}
