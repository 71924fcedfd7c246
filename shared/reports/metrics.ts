/*
 * The two primitives every reliability figure is built from (shared/reports/reliability.ts has
 * the report itself and its definitions).
 */

/** Milliseconds from one milestone to another; null when either is missing or they are out of order. */
export function span(from: string | null, to: string | null): number | null {
  if (!from || !to) return null;
  const d = Date.parse(to) - Date.parse(from);
  return d >= 0 ? d : null;
}

/** Merges overlapping [start, end) windows, so time in two of them counts once. */
export function mergeWindows(ws: Array<[number, number]>): Array<[number, number]> {
  const sorted = [...ws].sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const w of sorted) {
    const last = out[out.length - 1];
    if (last && w[0] <= last[1]) last[1] = Math.max(last[1], w[1]);
    else out.push([w[0], w[1]]);
  }
  return out;
}
