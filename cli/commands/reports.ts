import type { Command } from 'commander';
import type { TimelineItem } from '../../shared/domain/fold.js';
import { formatHlc } from '../../shared/sync/hlc.js';
import { handoffBrief } from '../../shared/reports/handoff-brief.js';
import { MAX_REPORT_DAYS, sloSourceText } from '../../shared/api/reports-methods.js';
import type { Severity } from '../../shared/domain/severity.js';
import { fail, globalsOf, output } from '../context.js';
import { severityArg, timeZoneArg } from '../cli-input.js';
import { REPORT_GROUPINGS, reportCsv, reportTable } from '../report-format.js';
import { teammateNamed } from './profile.js';
import { incidentOf, timelineRows } from '../lookups.js';
import { withApi, type Api } from '../open-core.js';
import { terminalSafe } from '../terminal-safe.js';

/** Rows worth reading after the fact: the brief and the retrospective page through only these. */
const KEY_KINDS = ['incident.declared', 'status.changed', 'severity.changed', 'role.assigned', 'decision', 'update.posted', 'minutes.written', 'handoff.offered', 'hypothesis', 'action.added'];
const NIL_ID = '00000000-0000-0000-0000-000000000000';
/** A brief is read by a person: past this many key rows, the rest is in `conn timeline`. */
const MAX_KEY_ROWS = 2000;

/** "8h", "90m", "2d" or an ISO time → an instant. */
export function sinceArg(input: string, now: number): Date {
  const rel = /^(\d+)\s*([mhd])$/i.exec(input.trim());
  if (rel) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[rel[2]!.toLowerCase() as 'm' | 'h' | 'd'];
    return new Date(now - Number(rel[1]) * unit);
  }
  const at = Date.parse(input);
  if (Number.isNaN(at)) fail('invalid-input', `cannot read "${input}" as a time: use 8h, 90m, 2d or an ISO time like 2026-11-28T02:00Z`);
  return new Date(at);
}

/** Key rows from `since` on, walking keyset windows forward; never the whole timeline at once. */
async function keyRows(api: Api, incidentId: string, since: Date, pinnedToo: boolean): Promise<TimelineItem[]> {
  const from = { hlc: formatHlc({ wall: Math.max(0, since.getTime()), counter: 0 }), id: NIL_ID };
  const out = await timelineRows(api, incidentId, { kinds: KEY_KINDS }, from, MAX_KEY_ROWS);
  if (pinnedToo) {
    const pinned = (await api.call('timeline.window', { incidentId, limit: 500, pinned: true })).items;
    const seen = new Set(out.map((i) => i.id));
    for (const p of pinned) if (!seen.has(p.id) && Date.parse(p.at) >= since.getTime()) out.push(p);
    out.sort((a, b) => (a.hlc === b.hlc ? (a.id < b.id ? -1 : 1) : a.hlc < b.hlc ? -1 : 1));
  }
  return out;
}

/** `conn brief`, `conn report`: what to read after the fact (`conn retro` is in retro.ts). */
export function register(program: Command): void {
  program
    .command('brief')
    .description('without REF: "while you were away", what changed on every incident since you last read it; with REF: the hand-off brief of one incident — in your time zone')
    .argument('[ref]', 'the incident reference or id; without it, the digest across every incident')
    .option('--since <when>', 'from when: 8h, 90m, 2d or an ISO time (with REF: 12h; without: since you last marked the digest read, else a day)')
    .option('--tz <zone>', 'read it in this IANA zone instead of your profile\'s (with REF)')
    .option('--for <name>', 'write it for this teammate (their actions, in their time zone when known) instead of you (with REF)')
    .option('--mark-read', 'without REF: you have read it; the next digest starts now')
    .action(async (ref: string | undefined, opts: { since?: string; tz?: string; for?: string; markRead?: boolean }, cmd: Command) => {
      const g = globalsOf(cmd);
      const now = Date.now();
      if (ref === undefined) {
        if (opts.tz !== undefined || opts.for !== undefined) fail('invalid-input', '--tz and --for go with an incident: `conn brief REF --tz ZONE`; the digest is in your own zone');
        const since = opts.since === undefined ? undefined : sinceArg(opts.since, now).toISOString();
        const digest = await withApi(g, async (api) => {
          const d = await api.call('digest.get', since === undefined ? {} : { since });
          if (opts.markRead) await api.call('digest.markRead', {});
          return d;
        });
        output(g, digest, () => terminalSafe(digest.markdown));
        return;
      }
      const since = sinceArg(opts.since ?? '12h', now);
      const tz = opts.tz === undefined ? undefined : timeZoneArg(opts.tz);
      const result = await withApi(g, async (api) => {
        const state = await incidentOf(api, ref);
        const me = await api.call('profile.get', {});
        // For a teammate, their own zone when the team's profiles know it: a brief is read on the reader's clock.
        const theirs = opts.for === undefined ? undefined : teammateNamed(await api.call('profiles.list', {}), opts.for);
        // Their name as the team spells it: "Assigned to you" matches owners by it.
        const reader = { name: theirs?.name ?? opts.for ?? me.name, timeZone: tz ?? theirs?.timeZone ?? me.timeZone };
        const items = await keyRows(api, state.id, since, false);
        return { markdown: handoffBrief({ state, since: since.toISOString(), items, reader, now: new Date(now) }), ref: state.ref, reader };
      });
      output(g, result, () => terminalSafe(result.markdown));
    });

  program
    .command('report')
    .description('time to detect / acknowledge / mitigate / resolve by service and severity, incidents per week, and uptime against the SLO, over a period')
    .option('--days <n>', 'the period, ending now', '30')
    .option('--by <grouping>', 'only by service, or only by severity (both by default)')
    .option('--format <format>', 'table (default), json or csv (one row per group and measure)')
    .addHelpText(
      'after',
      '\nEvery severity counts. An incident belongs to the period it was declared in; hand-set milestones (`conn milestone`) win over derived ones. Uptime counts impact (start to mitigation) of incidents at the SLO\'s severity or worse; `conn slo` shows the target and whether it is the team\'s (set by an admin through the hub), this cockpit\'s own from before, or the default.',
    )
    .action(async (opts: { days: string; by?: string; format?: string }, cmd: Command) => {
      const g = globalsOf(cmd);
      const days = Number(opts.days);
      if (!Number.isInteger(days) || days < 1 || days > MAX_REPORT_DAYS) fail('invalid-input', `--days must be a whole number from 1 to ${MAX_REPORT_DAYS}, not "${opts.days}"`);
      const by = opts.by === undefined ? undefined : oneWordOf(opts.by, REPORT_GROUPINGS, '--by');
      const format = opts.format === undefined ? (g.json ? 'json' : 'table') : oneWordOf(opts.format, ['table', 'json', 'csv'] as const, '--format');
      const { report, zone } = await withApi(g, async (api) => ({ report: await api.call('reports.get', { days }), zone: (await api.call('profile.get', {})).timeZone }));
      if (format === 'json') process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else if (format === 'csv') process.stdout.write(`${reportCsv(report, by)}\r\n`);
      else output(g, report, () => terminalSafe(reportTable(report, days, zone, by)));
    });

  program
    .command('slo')
    .description("show the SLO uptime is measured against and where it comes from, or (team admins, through the hub) set the team's: a target for every service, others for some, and which severities count as down")
    .option('--target <percent>', 'the target for every service, e.g. 99.9')
    .option('--service <name=percent>', 'a service\'s own target, e.g. payments=99.95 (repeat for more; name=default drops it)', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--down-sev <n>', 'incidents at this severity or worse count as downtime (2: SEV1 and SEV2)')
    .option('--reset', "put the team back on Conn's default SLO")
    .action(async (opts: { target?: string; service: string[]; downSev?: string; reset?: boolean }, cmd: Command) => {
      const g = globalsOf(cmd);
      if (opts.reset && (opts.target !== undefined || opts.downSev !== undefined || opts.service.length)) fail('invalid-input', '--reset goes alone: it drops the team\'s SLO for the defaults');
      const change: { targetPercent?: number; downtimeSeverity?: Severity; services?: Record<string, number> } = {};
      if (opts.target !== undefined) change.targetPercent = percentArg(opts.target, '--target');
      if (opts.downSev !== undefined) change.downtimeSeverity = severityArg(opts.downSev);
      const e = await withApi(g, async (api) => {
        if (opts.reset) return api.call('reports.slo.reset', {});
        if (opts.service.length) {
          const services = { ...(await api.call('reports.slo.get', {})).slo.services };
          for (const pair of opts.service) {
            const [name, value] = splitServiceTarget(pair);
            if (value === 'default') delete services[name];
            else services[name] = percentArg(value, `--service ${name}`);
          }
          change.services = services;
        }
        return Object.keys(change).length ? api.call('reports.slo.set', change) : api.call('reports.slo.get', {});
      });
      const slo = e.slo;
      const said = 'changed' in e ? [e.changed ? "Changed the team's SLO." : "No change to the team's SLO."] : [];
      output(g, e, () =>
        [
          ...said,
          `SLO: ${sloSourceText(e)}`,
          `target ${slo.targetPercent}% for every service; SEV1${slo.downtimeSeverity > 1 ? `-${slo.downtimeSeverity}` : ''} impact counts as down`,
          ...Object.entries(slo.services).map(([name, t]) => `  ${name}: ${t}%`),
        ].join('\n'),
      );
    });
}

function oneWordOf<T extends string>(input: string, words: readonly T[], option: string): T {
  const hit = words.find((w) => w === input.trim().toLowerCase());
  if (hit === undefined) fail('invalid-input', `${option} must be ${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}, not "${input}"`);
  return hit;
}

function percentArg(input: string, option: string): number {
  const n = Number(input.trim().replace(/%$/, ''));
  if (input.trim() === '' || !Number.isFinite(n) || n < 50 || n > 100) fail('invalid-input', `${option} must be a percentage from 50 to 100, such as 99.9, not "${input}"`);
  return n;
}

function splitServiceTarget(pair: string): [string, string] {
  const at = pair.lastIndexOf('=');
  if (at <= 0 || at === pair.length - 1) fail('invalid-input', `--service takes NAME=PERCENT, such as payments=99.95, not "${pair}"`);
  return [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
}
