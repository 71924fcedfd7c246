import { MEASURES, type GroupRow, type ReliabilityReport } from '../../shared/reports/reliability.js';
import { formatDuration } from '../../shared/time/zone.js';
import { Time } from '../time/Time.js';
import { MEASURE_LABELS } from './report-charts.js';

const dur = (ms: number | null) => (ms === null ? '—' : formatDuration(ms));

/** The numbers a chart draws, for everyone: one row per group and measure. */
export function MttxTable({ groups, groupName, caption }: { groups: GroupRow[]; groupName: string; caption: string }) {
  return (
    <table className="report-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{groupName}</th>
          <th scope="col">Measure</th>
          <th scope="col">Median</th>
          <th scope="col">p90</th>
          <th scope="col">Mean</th>
          <th scope="col">Incidents measured</th>
        </tr>
      </thead>
      <tbody>
        {groups.flatMap((g) =>
          MEASURES.map((m, i) => {
            const s = g.measures[m];
            return (
              <tr key={`${g.key}-${m}`} className={i === 0 ? 'group-start' : undefined}>
                <th scope="row">{g.key}</th>
                <td>{MEASURE_LABELS[m]}</td>
                <td>{dur(s.medianMs)}</td>
                <td>{dur(s.p90Ms)}</td>
                <td>{dur(s.meanMs)}</td>
                <td>
                  {s.samples} of {g.incidents}
                </td>
              </tr>
            );
          }),
        )}
      </tbody>
    </table>
  );
}

export function WeeksTable({ report }: { report: ReliabilityReport }) {
  return (
    <table className="report-table">
      <caption>Incidents declared per week, by severity</caption>
      <thead>
        <tr>
          <th scope="col">Week from</th>
          <th scope="col">Incidents</th>
          {Object.keys(report.weeks[0]?.bySeverity ?? {}).map((s) => (
            <th scope="col" key={s}>
              {s}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {report.weeks.map((w) => (
          <tr key={w.start}>
            <th scope="row">
              <Time iso={w.start} />
            </th>
            <td>{w.incidents}</td>
            {Object.entries(w.bySeverity).map(([s, n]) => (
              <td key={s}>{n}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function UptimeTable({ report }: { report: ReliabilityReport }) {
  return (
    <table className="report-table">
      <caption>Uptime per service against its target, and the error budget left</caption>
      <thead>
        <tr>
          <th scope="col">Service</th>
          <th scope="col">Uptime</th>
          <th scope="col">Target</th>
          <th scope="col">Down</th>
          <th scope="col">Incidents</th>
          <th scope="col">Error budget left</th>
        </tr>
      </thead>
      <tbody>
        {report.uptime.map((u) => (
          <tr key={u.service}>
            <th scope="row">{u.service}</th>
            <td>{u.uptimePercent.toFixed(3)}%</td>
            <td>{u.targetPercent}%</td>
            <td>{dur(u.downtimeMs)}</td>
            <td>{u.incidents}</td>
            <td className={u.budgetLeftMs < 0 ? 'overspent' : undefined}>
              {u.budgetLeftPercent === null
                ? 'none at a 100% target'
                : u.budgetLeftMs < 0
                  ? `overspent by ${dur(-u.budgetLeftMs)} (of ${dur(u.budgetMs)})`
                  : `${u.budgetLeftPercent.toFixed(0)}% (${dur(u.budgetLeftMs)} of ${dur(u.budgetMs)})`}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
