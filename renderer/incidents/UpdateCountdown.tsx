import { formatDuration } from '../../shared/time/zone.js';

/** Time left until the next stakeholder update; overdue reads as such, not as a negative. */
export function UpdateCountdown({ dueAt, now }: { dueAt: string | null; now: number }) {
  if (!dueAt) return <span className="muted">no update due</span>;
  const left = Date.parse(dueAt) - now;
  if (left < 0) return <span className="overdue">update overdue by {formatDuration(-left)}</span>;
  return <span className={left < 120_000 ? 'due-soon' : undefined}>update in {formatDuration(left)}</span>;
}
