import { ConnError } from '../../../shared/domain/errors.js';
import { PAYLOADS } from '../../../shared/domain/events.js';
import { milestoneProblem } from '../../../shared/domain/milestone-order.js';
import type { IncidentState } from '../../../shared/domain/fold.js';
import { isActiveStatus } from '../../../shared/domain/status.js';
import type { EffectiveSlo, ReportResults } from '../../../shared/api/reports-methods.js';
import { DEFAULT_SLO, reliabilityReport, SloSettingsSchema, type SloSettings } from '../../../shared/reports/reliability.js';
import { SLO_SETTING, type SloChanges } from '../../../shared/reports/slo-protocol.js';
import { setOnHub } from './team-setting-ask.js';
import type { Core } from '../open.js';
import type { Handler } from './handlers.js';

/*
 * The reliability report and the SLO it measures uptime against. The SLO is the team's, kept on
 * the hub (shared/reports/slo-protocol.ts) and cached here, so teammates' reports agree and hold
 * offline; changing it asks the hub, which lets only admins.
 *
 * Before it was a team setting, each cockpit kept its own in settings ('reports.slo'). That row
 * is left as it was and used only while the team has none ('cockpit' source, "this cockpit's");
 * when an admin whose cockpit has one first sets the team's, their change is applied on top of
 * it, so what they measured against becomes the team's rather than being silently dropped.
 */

const LEGACY_SLO_KEY = 'reports.slo';
const DAY_MS = 86_400_000;

function cockpitSlo(core: Core): SloSettings | null {
  const row = core.db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?').get(LEGACY_SLO_KEY);
  if (!row) return null;
  let json: unknown;
  try {
    json = JSON.parse(row.value);
  } catch {
    return null;
  }
  const stored = SloSettingsSchema.safeParse(json);
  return stored.success ? stored.data : null;
}

export function effectiveSlo(core: Core): EffectiveSlo {
  const team = core.teamSettings.read(SLO_SETTING);
  if (team.value !== null) return { slo: team.value, source: 'team', setBy: team.setBy, setAt: team.setAt, checkedAt: team.checkedAt };
  const own = cockpitSlo(core);
  return { slo: own ?? DEFAULT_SLO, source: own ? 'cockpit' : 'defaults', setBy: null, setAt: null, checkedAt: team.checkedAt };
}

const OFFLINE = 'connect first (conn connect HUB_URL --token TOKEN); reports keep using the SLO shown by conn slo';

async function setTeamSlo(core: Core, changes: SloChanges): Promise<EffectiveSlo & { changed: boolean }> {
  const now = effectiveSlo(core);
  const body = now.source === 'cockpit' ? { ...now.slo, ...changes } : changes;
  const changed = await setOnHub(core, SLO_SETTING, { changes: body }, OFFLINE);
  return { ...effectiveSlo(core), changed };
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
    const { slo, ...sloFrom } = effectiveSlo(core);
    return { ...reliabilityReport(incidentsFor(core, from.getTime()), from, to, slo), sloFrom };
  },
  'reports.slo.get': (core) => effectiveSlo(core),
  'reports.slo.set': (core, p) => setTeamSlo(core, p),
  'reports.slo.reset': async (core) => {
    const changed = await setOnHub(core, SLO_SETTING, { reset: true }, OFFLINE);
    return { ...effectiveSlo(core), changed };
  },
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
