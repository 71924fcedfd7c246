import { z } from 'zod';
import type { ReliabilityReport, SloSettings } from '../reports/reliability.js';
import { SloChangesSchema } from '../reports/slo-protocol.js';

/** The longest period a report covers: ten years, more than any cockpit holds. */
export const MAX_REPORT_DAYS = 3660;

/**
 * The reliability report's methods (spread into METHODS in shared/api/contract.ts). The report is
 * computed in the core, from every incident it holds, so the app, the CLI and the tests show the
 * same numbers (shared/reports/reliability.ts has the definitions).
 */
export const REPORT_METHODS = {
  /** The period is the `days` days that end now. */
  'reports.get': z
    .object({ days: z.number({ error: 'days must be a number' }).int('days must be a whole number').min(1, 'days must be at least 1').max(MAX_REPORT_DAYS, `days must be at most ${MAX_REPORT_DAYS}`) })
    .strict(),
  /** The SLO this cockpit measures uptime against, and where it comes from (works offline). */
  'reports.slo.get': z.object({}).strict(),
  /** Changes the team's SLO through the hub (admins only); what is not given keeps its value. */
  'reports.slo.set': SloChangesSchema,
  /** Puts the team back on Conn's default SLO, through the hub (admins only). */
  'reports.slo.reset': z.object({}).strict(),
} as const;

/**
 * Where the SLO comes from. 'team': the team's, as the hub last answered. 'cockpit': none set by
 * the team, and this cockpit has its own from before the SLO was a team setting (kept, but only
 * until the team sets one). 'defaults': Conn's.
 */
export interface SloSource {
  source: 'team' | 'cockpit' | 'defaults';
  setBy: string | null;
  setAt: string | null;
  /** When the hub last answered this cockpit about it; null when it never has. */
  checkedAt: string | null;
}

export type EffectiveSlo = SloSource & { slo: SloSettings };

/** One line on where the SLO comes from, for `conn slo`, `conn report` and the app. */
export function sloSourceText(s: SloSource): string {
  const at = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;
  const checked = s.checkedAt ? `last checked with the hub at ${at(s.checkedAt)}` : 'this cockpit has not heard from a hub yet';
  if (s.source === 'team') return `the team's SLO${s.setBy ? `, set by ${s.setBy}` : ''}${s.setAt ? ` at ${at(s.setAt)}` : ''}; ${checked}`;
  if (s.source === 'cockpit') return `this cockpit's own SLO: the team has not set one (${checked})`;
  return `Conn's default SLO: the team has not set one (${checked})`;
}

export interface ReportResults {
  'reports.get': ReliabilityReport & { sloFrom: SloSource };
  'reports.slo.get': EffectiveSlo;
  'reports.slo.set': EffectiveSlo & { changed: boolean };
  'reports.slo.reset': EffectiveSlo & { changed: boolean };
}
