import type { Command } from 'commander';
import type { TimelineItem } from '../../shared/domain/fold.js';
import { formatHlc } from '../../shared/sync/hlc.js';
import { handoffBrief } from '../../shared/reports/handoff-brief.js';
import { mttx, uptimeByService } from '../../shared/reports/metrics.js';
import { formatDuration } from '../../shared/time/zone.js';
import { fail, globalsOf, output } from '../context.js';
import { timeZoneArg } from '../cli-input.js';
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
    .description('time to detect / acknowledge / mitigate / resolve, and uptime per service (SEV1-2 impact) over a period')
    .option('--days <n>', 'the period, ending now', '30')
    .action(async (opts: { days: string }, cmd: Command) => {
      const g = globalsOf(cmd);
      const days = Number(opts.days);
      if (!Number.isInteger(days) || days < 1 || days > 3660) fail('invalid-input', `--days must be a whole number from 1 to 3660, not "${opts.days}"`);
      const to = new Date();
      const from = new Date(to.getTime() - days * 86_400_000);
      const states = await withApi(g, async (api) => {
        const declared = (await api.call('incidents.list', { all: true })).filter((s) => Date.parse(s.declaredAt) >= from.getTime());
        const out = [];
        for (const s of declared) out.push(await api.call('incidents.get', { ref: s.id }));
        return out;
      });
      const summary = mttx(states);
      const uptime = uptimeByService(states, from, to);
      output(g, { from: from.toISOString(), to: to.toISOString(), mttx: summary, uptime }, () => {
        const d = (ms: number | null) => (ms === null ? '—' : formatDuration(ms));
        const lines = [
          `${summary.incidents} incidents in the last ${days} days`,
          `mean time to detect ${d(summary.meanMs.detect)} · acknowledge ${d(summary.meanMs.acknowledge)} · mitigate ${d(summary.meanMs.mitigate)} · resolve ${d(summary.meanMs.resolve)}`,
          '',
          ...(uptime.length ? uptime.map((u) => `${u.service.padEnd(24)} ${u.uptimePercent.toFixed(3)}%  down ${formatDuration(u.downtimeMs)} in ${u.incidents} incident(s)`) : ['no SEV1-2 impact recorded']),
        ];
        return lines.join('\n');
      });
    });
}
