/**
 * A wait as people say it: "2s", "45s", "3 min", "2 h", "3 days". Rounded up below a minute and a half, so
 * "retrying in 1s" never means "now"; the hub's refusals and the client's status share it so the
 * two sentences agree.
 */
export function describeWait(ms: number): string {
  const s = Math.max(1, Math.ceil(ms / 1000));
  if (s < 90) return `${s}s`;
  const min = Math.round(s / 60);
  if (min < 90) return `${min} min`;
  const h = Math.round(min / 60);
  if (h < 48) return `${h} h`;
  return `${Math.round(h / 24)} days`;
}
