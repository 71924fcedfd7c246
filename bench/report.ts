/**
 * How every benchmark reports: the value, the raw baseline measured in the same process, and
 * their ratio. `lowerIsBetter` says which way the ratio reads (time: yes; throughput: no).
 */
export interface BenchResult {
  name: string;
  value: number;
  baseline: number;
  unit: string;
  lowerIsBetter: boolean;
  budget?: number;
  extra?: Record<string, number | string>;
}

export function report(r: BenchResult): void {
  const ratio = r.value / r.baseline;
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify({ ...r, ratio: Number(ratio.toFixed(3)) })}\n`);
    return;
  }
  const budget = r.budget === undefined ? '' : ` (budget ${r.lowerIsBetter ? '≤' : '≥'} ${r.budget}x: ${(r.lowerIsBetter ? ratio <= r.budget : ratio >= r.budget) ? 'ok' : 'OVER'})`;
  const extra = r.extra ? `  ${Object.entries(r.extra).map(([k, v]) => `${k}=${v}`).join(' ')}` : '';
  console.log(`${r.name}: ${fmt(r.value)} ${r.unit} vs baseline ${fmt(r.baseline)} ${r.unit} → ratio ${ratio.toFixed(2)}x${budget}${extra}`);
}

function fmt(n: number): string {
  return n >= 100 ? n.toFixed(0) : n >= 1 ? n.toFixed(2) : n.toPrecision(3);
}

/** Median of repeated runs of fn, in ms: robust to one noisy run on a shared 2-core machine. */
export function medianMs(runs: number, fn: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
