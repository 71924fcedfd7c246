import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { SEVERITIES, type Severity } from '../../shared/domain/severity.js';
import type { ResultOf } from '../../shared/api/contract.js';
import { sloSourceText } from '../../shared/api/reports-methods.js';
import { chartTheme, useColorScheme } from './chart-theme.js';
import { mttxChart, weeklyChart } from './report-charts.js';
import { MttxTable, UptimeTable, WeeksTable } from './ReportTables.js';
import { PERIODS, useReportsStore, type Period } from './reports-store.js';
import { UPlotChart } from './UPlotChart.js';

/**
 * Reports: time to detect, acknowledge, mitigate and resolve by service and by severity,
 * incidents per week, and uptime against the SLO, over a chosen period. The core computes the
 * numbers (the same `conn report` prints); each chart has its numbers in a table below it.
 */
export function ReportsView() {
  const { days, report, error, load } = useReportsStore();
  useEffect(() => void load(), [load]);
  return (
    <section className="reports" aria-labelledby="reports-heading">
      <div className="reports-head">
        <h2 id="reports-heading">Reports</h2>
        <label>
          Period{' '}
          <select value={days} onChange={(e) => void load(Number(e.target.value) as Period)}>
            {PERIODS.map((d) => (
              <option key={d} value={d}>
                Last {d} days
              </option>
            ))}
          </select>
        </label>
      </div>
      {error && <p role="alert">Could not load the report: {error}</p>}
      {report === null ? !error && <p className="muted">Loading…</p> : <ReportBody report={report} days={days} />}
    </section>
  );
}

function ReportBody({ report, days }: { report: ResultOf<'reports.get'>; days: number }) {
  const scheme = useColorScheme();
  // Canvas colours come from the theme: build the charts again when it changes.
  const theme = useMemo(() => chartTheme(), [scheme]); // eslint-disable-line react-hooks/exhaustive-deps
  const byService = useMemo(() => mttxChart(report.byService, theme), [report, theme]);
  const bySeverity = useMemo(() => mttxChart(report.bySeverity, theme), [report, theme]);
  const weekly = useMemo(() => weeklyChart(report.weeks, theme), [report, theme]);
  const o = report.overall;
  return (
    <>
      <p className="reports-summary">
        {o.incidents === 0 ? `No incident was declared in the last ${days} days.` : `${o.incidents} incident${o.incidents === 1 ? '' : 's'} declared in the last ${days} days, ${o.open} still open.`} Medians over the incidents
        that reached both ends of each measure; hand-set milestones win over derived ones.
      </p>
      <div className="reports-grid">
        <section className="panel" aria-labelledby="mttx-service-heading">
          <h3 id="mttx-service-heading">Median time to detect, acknowledge, mitigate and resolve, by service</h3>
          {report.byService.length > 0 && <UPlotChart options={byService.options} data={byService.data} label="Bar chart of median times per service; the table below has the numbers" />}
          <MttxTable groups={report.byService} groupName="Service" caption="Times by service" />
        </section>
        <section className="panel" aria-labelledby="mttx-severity-heading">
          <h3 id="mttx-severity-heading">Median time to detect, acknowledge, mitigate and resolve, by severity</h3>
          {report.bySeverity.length > 0 && <UPlotChart options={bySeverity.options} data={bySeverity.data} label="Bar chart of median times per severity; the table below has the numbers" />}
          <MttxTable groups={report.bySeverity} groupName="Severity" caption="Times by severity" />
        </section>
        <section className="panel" aria-labelledby="weekly-heading">
          <h3 id="weekly-heading">Incidents per week</h3>
          <UPlotChart options={weekly.options} data={weekly.data} label="Bar chart of incidents declared per week; the table below has the numbers" />
          <WeeksTable report={report} />
        </section>
        <section className="panel" aria-labelledby="uptime-heading">
          <h3 id="uptime-heading">Uptime and error budget</h3>
          <UptimeTable report={report} />
          <SloForm report={report} />
        </section>
      </div>
    </>
  );
}

/**
 * The SLO every service is measured against, where it comes from, and (for team admins; the hub
 * refuses others with its reason, shown here) a form to change the team's.
 */
function SloForm({ report }: { report: ResultOf<'reports.get'> }) {
  const [target, setTarget] = useState(String(report.slo.targetPercent));
  const [downSev, setDownSev] = useState<Severity>(report.slo.downtimeSeverity);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    const t = Number(target);
    if (target.trim() === '' || !Number.isFinite(t)) return setError('Type the target as a percentage, such as 99.9.');
    try {
      await useReportsStore.getState().saveSlo({ targetPercent: t, downtimeSeverity: downSev });
      setError(null);
      setSaved(true);
    } catch (err) {
      setError((err as Error).message);
    }
  }
  return (
    <form className="slo-form" onSubmit={submit} aria-labelledby="slo-heading" noValidate>
      <h4 id="slo-heading">SLO</h4>
      <p className="muted" data-testid="slo-source">
        Measured against {sloSourceText(report.sloFrom)}.
      </p>
      <label>
        Target for every service (%)
        <input type="number" inputMode="decimal" step="0.01" min={50} max={100} value={target} onChange={(e) => setTarget(e.target.value)} />
      </label>
      <label>
        Counts as down
        <select value={downSev} onChange={(e) => setDownSev(Number(e.target.value) as Severity)}>
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {s === 1 ? 'SEV1 impact' : `SEV1–SEV${s} impact`}
            </option>
          ))}
        </select>
      </label>
      <button type="submit">Save the team&apos;s SLO</button>
      {error && <p role="alert">{error}</p>}
      {saved && !error && <p role="status">Saved on the hub for the whole team. The report above is measured against it.</p>}
      <p className="muted">
        A service&apos;s own target: <code>conn slo --service NAME=99.95</code>
      </p>
    </form>
  );
}
