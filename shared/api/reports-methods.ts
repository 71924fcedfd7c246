import { z } from 'zod';
import { SloSettingsSchema, type ReliabilityReport, type SloSettings } from '../reports/reliability.js';

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
  /** The SLO this cockpit measures uptime against (the defaults until someone sets one). */
  'reports.slo.get': z.object({}).strict(),
  /** Replaces the SLO settings; what is not given keeps its value. */
  'reports.slo.set': SloSettingsSchema.partial().strict(),
} as const;

export interface ReportResults {
  'reports.get': ReliabilityReport;
  'reports.slo.get': SloSettings;
  'reports.slo.set': SloSettings;
}
