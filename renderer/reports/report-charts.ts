import uPlot from 'uplot';
import { MEASURES, type GroupRow, type WeekRow } from '../../shared/reports/reliability.js';
import { formatDuration } from '../../shared/time/zone.js';
import type { ChartTheme } from './chart-theme.js';
import type { ChartOptions } from './UPlotChart.js';

/*
 * The Reports view's charts as uPlot options and data. Pure functions of the report and the
 * theme, so a chart is rebuilt only when one of them changes.
 */

export const MEASURE_LABELS: Record<(typeof MEASURES)[number], string> = {
  detect: 'Time to detect',
  acknowledge: 'Time to acknowledge',
  mitigate: 'Time to mitigate',
  resolve: 'Time to resolve',
};

const MINUTE = 60_000;
const HALF_WEEK_S = 3.5 * 86_400;
/** Of each category's slot on the x axis, the share its group of bars takes. */
const GROUP_WIDTH = 0.8;

function axes(theme: ChartTheme, x: Partial<uPlot.Axis>, yLabel: string, yValues?: uPlot.Axis['values']): uPlot.Axis[] {
  const common = { stroke: theme.text, grid: { stroke: theme.grid, width: 1 }, ticks: { stroke: theme.grid, width: 1 } };
  return [
    { ...common, ...x },
    { ...common, label: yLabel, labelSize: 20, size: 60, ...(yValues ? { values: yValues } : {}) },
  ];
}

/** Median time per measure for each group (a service, a severity), as grouped bars in minutes. */
export function mttxChart(groups: GroupRow[], theme: ChartTheme): { options: ChartOptions; data: uPlot.AlignedData } {
  const names = groups.map((g) => g.key);
  const barWidth = GROUP_WIDTH / MEASURES.length;
  const series: uPlot.Series[] = MEASURES.map((m, s) => ({
    label: MEASURE_LABELS[m],
    stroke: theme.series[s],
    fill: theme.series[s],
    width: 0,
    points: { show: false },
    value: (_u, v) => (v === null ? '—' : formatDuration(v * MINUTE)),
    paths: uPlot.paths.bars!({
      // Each measure's bar sits at its own place within its group's slot (x0 is the bar's left edge, in x scale units).
      disp: {
        x0: { unit: 1, values: (u) => (u.data[0] as number[]).map((i) => i - GROUP_WIDTH / 2 + s * barWidth) },
        size: { unit: 1, values: () => [barWidth * 0.9] },
      },
    }),
  }));
  return {
    options: {
      scales: { x: { time: false, range: [-0.5, Math.max(0.5, names.length - 0.5)] }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
      legend: { show: true, live: false },
      cursor: { show: false },
      axes: axes(theme, { values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? (names[v] ?? '') : '')), splits: () => names.map((_, i) => i) }, 'minutes', (_u, splits) => splits.map((v) => formatDuration(v * MINUTE))),
      series: [{ label: 'Group' }, ...series],
    },
    data: [names.map((_, i) => i), ...MEASURES.map((m) => groups.map((g) => (g.measures[m].medianMs === null ? null : g.measures[m].medianMs! / MINUTE)))],
  };
}

/** Incidents declared each week, as bars on a time axis (seconds, as uPlot counts time). */
export function weeklyChart(weeks: WeekRow[], theme: ChartTheme): { options: ChartOptions; data: uPlot.AlignedData } {
  const starts = weeks.map((w) => Date.parse(w.start) / 1000);
  return {
    options: {
      // Half a week either side, so the first and last weeks' bars are not cut at the edges.
      scales: { x: { time: true, range: () => [(starts[0] ?? 0) - HALF_WEEK_S, (starts[starts.length - 1] ?? 0) + HALF_WEEK_S] }, y: { range: (_u, _min, max) => [0, Math.max(1, Math.ceil(max * 1.2))] } },
      legend: { show: true, live: false },
      cursor: { show: false },
      axes: axes(theme, {}, 'incidents', (_u, splits) => splits.map((v) => (Number.isInteger(v) ? String(v) : ''))),
      series: [{ label: 'Week from' }, { label: 'Incidents declared', stroke: theme.series[0], fill: theme.series[0], width: 0, points: { show: false }, paths: uPlot.paths.bars!({ size: [0.6, 60] }) }],
    },
    data: [starts, weeks.map((w) => w.incidents)],
  };
}
