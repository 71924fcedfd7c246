import type { ReportResults } from '../../../shared/api/reports-methods.js';
import { ConnError, describeZodIssue } from '../../../shared/domain/errors.js';
import { PAYLOADS } from '../../../shared/domain/events.js';
import { milestoneProblem } from '../../../shared/domain/milestone-order.js';
import type { IncidentState } from '../../../shared/domain/fold.js';
import { isActiveStatus } from '../../../shared/domain/status.js';
import { DEFAULT_SLO, reliabilityReport, SloSettingsSchema, type SloSettings } from '../../../shared/reports/reliability.js';
import type { Core } from '../open.js';
import type { Handler } from './handlers.js';

/*
 * The reliability report and the SLO it measures uptime against. The SLO is kept in this
 * cockpit's settings (not synced through the hub): whoever runs the reports sets it.
 */

const SLO_KEY = 'reports.slo';
const DAY_MS = 86_400_000;

function sloOf(core: Core): SloSettings {
  const row = core.db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?').get(SLO_KEY);
  if (!row) return DEFAULT_SLO;
  const stored = SloSettingsSchema.safeParse(JSON.parse(row.value));
  return stored.success ? stored.data : DEFAULT_SLO;
}

function setSlo(core: Core, change: Partial<SloSettings>): SloSettings {
  const parsed = SloSettingsSchema.safeParse({ ...sloOf(core), ...change });
  if (!parsed.success) throw new ConnError('invalid-input', describeZodIssue(parsed.error.issues));
  core.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(SLO_KEY, JSON.stringify(parsed.data));
  return parsed.data;
}

/**
 * The incidents a report over [from, now) can involve: declared in it, still active, or changed
 * since it began. One resolved before the period and untouched since had its impact end before
 * it too (a hand-set milestone would have touched it), so it is never loaded.
 */
function incidentsFor(core: Core, from: number): IncidentState[] {
  return core.incidents
    .list({ all: true })
    .filter((s) => Date.parse(s.declaredAt) >= from || isActiveStatus(s.status) || (s.updatedAt !== null && Date.parse(s.updatedAt) >= from))
    .map((s) => core.incidents.get(s.id));
}

type ReportHandlers = { [M in keyof ReportResults]: Handler<M> };

export const REPORT_HANDLERS: ReportHandlers = {
  'reports.get': (core, p) => {
    const to = new Date();
    const from = new Date(to.getTime() - p.days * DAY_MS);
    return reliabilityReport(incidentsFor(core, from.getTime()), from, to, sloOf(core));
  },
  'reports.slo.get': (core) => sloOf(core),
  'reports.slo.set': (core, p) => setSlo(core, Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as Partial<SloSettings>),
};

/**
 * A milestone set by hand must have happened and keep the milestones in order (shared/domain/
 * milestone-order.ts): refused here, before it is saved, for the app and the CLI alike.
 */
export function checkMilestoneWrite(core: Core, incidentId: string, kind: string, payload: unknown): void {
  if (kind !== 'milestone.set') return;
  // A payload its schema refuses is appendLocal's to refuse, with that schema's sentence.
  const parsed = PAYLOADS['milestone.set'].safeParse(payload);
  if (!parsed.success) return;
  const { milestone, at } = parsed.data;
  const problem = milestoneProblem(core.incidents.get(incidentId).milestones, milestone, at, new Date(), core.profile.get().timeZone);
  if (problem !== null) throw new ConnError('invalid-input', problem);
}
