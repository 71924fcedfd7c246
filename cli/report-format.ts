import { MEASURES, type GroupRow, type MeasureStats, type ReliabilityReport } from '../shared/reports/reliability.js';
import { formatDuration, formatInZone } from '../shared/time/zone.js';
import { sloSourceText, type SloSource } from '../shared/api/reports-methods.js';

/*
 * `conn report` as a person reads it (a table) and as a spreadsheet reads it (CSV). The numbers
 * are the core's report (shared/reports/reliability.ts); this only lays them out.
 */

export const REPORT_GROUPINGS = ['service', 'severity'] as const;
export type ReportGrouping = (typeof REPORT_GROUPINGS)[number];

const dur = (ms: number | null) => (ms === null ? '—' : formatDuration(ms));
const pct = (n: number) => `${n.toFixed(3)}%`;

function measureLines(g: GroupRow): string[] {
  const cell = (s: MeasureStats) => [dur(s.medianMs), dur(s.p90Ms), dur(s.meanMs), String(s.samples)];
  const rows = [['  time to', 'median', 'p90', 'mean', 'of'], ...MEASURES.map((m) => [`  ${m}`, ...cell(g.measures[m])])];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((v, c) => v.padEnd(widths[c]!)).join('  ').trimEnd());
}

function groupBlock(g: GroupRow): string[] {
  return [`${g.key} — ${g.incidents} incident${g.incidents === 1 ? '' : 's'}${g.open ? `, ${g.open} still open` : ''}`, ...measureLines(g), ''];
}

export function reportTable(r: ReliabilityReport & { sloFrom?: SloSource }, days: number, zone: string, by: ReportGrouping | undefined): string {
  const day = (iso: string) => formatInZone(iso, zone, { seconds: false });
  const lines = [`Reliability over the last ${days} day${days === 1 ? '' : 's'} (${day(r.from)} to ${day(r.to)})`, ''];
  lines.push(...groupBlock({ ...r.overall, key: 'All incidents' }));
  if (by !== 'severity') for (const g of r.byService) lines.push(...groupBlock(g));
  if (by !== 'service') for (const g of r.bySeverity) lines.push(...groupBlock(g));
  if (by === undefined) {
    lines.push('Incidents per week');
    for (const w of r.weeks) {
      const sevs = Object.entries(w.bySeverity).filter(([, n]) => n > 0).map(([s, n]) => `${s} ${n}`);
      lines.push(`  from ${formatInZone(w.start, zone, { seconds: false })}  ${String(w.incidents).padStart(3)}${sevs.length ? `  (${sevs.join(', ')})` : ''}`);
    }
    lines.push('');
  }
  lines.push(`Uptime against the SLO (SEV${r.slo.downtimeSeverity === 1 ? '1' : `1-${r.slo.downtimeSeverity}`} impact counts as down)`);
  // Whose target it is: two teammates' reports agree only when both say "the team's".
  if (r.sloFrom) lines.push(`  ${sloSourceText(r.sloFrom)}`);
  if (r.uptime.length === 0) lines.push('  no service named by an incident or an SLO');
  const width = Math.max(0, ...r.uptime.map((u) => u.service.length));
  for (const u of r.uptime) {
    const left =
      u.budgetLeftPercent === null
        ? 'no error budget at a 100% target'
        : u.budgetLeftMs < 0
          ? `error budget overspent by ${dur(-u.budgetLeftMs)} (it was ${dur(u.budgetMs)})`
          : `${u.budgetLeftPercent.toFixed(0)}% of the error budget left (${dur(u.budgetLeftMs)} of ${dur(u.budgetMs)})`;
    lines.push(`  ${u.service.padEnd(width)}  ${pct(u.uptimePercent)} up, target ${u.targetPercent}%  down ${dur(u.downtimeMs)} in ${u.incidents} incident${u.incidents === 1 ? '' : 's'}  ${left}`);
  }
  lines.push('', 'Median and p90 over the incidents that reached both ends of a measure ("of"); — when none did.');
  return lines.join('\n');
}

/** A field as CSV writes it: quoted when it holds a comma, a quote or a line break. */
function csvField(v: string | number | null): string {
  const s = v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One row per group and measure, durations in whole milliseconds: what a spreadsheet sums and charts. */
export function reportCsv(r: ReliabilityReport, by: ReportGrouping | undefined): string {
  const header = ['by', 'key', 'incidents', 'open', 'measure', 'samples', 'median_ms', 'p90_ms', 'mean_ms'];
  const groups: Array<[string, GroupRow]> = [
    ['all', r.overall],
    ...(by !== 'severity' ? r.byService.map((g): [string, GroupRow] => ['service', g]) : []),
    ...(by !== 'service' ? r.bySeverity.map((g): [string, GroupRow] => ['severity', g]) : []),
  ];
  const round = (n: number | null) => (n === null ? null : Math.round(n));
  const rows = groups.flatMap(([kind, g]) =>
    MEASURES.map((m) => {
      const s = g.measures[m];
      return [kind, g.key, g.incidents, g.open, m, s.samples, round(s.medianMs), round(s.p90Ms), round(s.meanMs)];
    }),
  );
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n');
}
