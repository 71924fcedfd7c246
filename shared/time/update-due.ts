import { formatInZone } from './zone.js';

/*
 * When the next stakeholder update is owed, as a responder reads it at a glance. A countdown
 * in whole minutes (seconds only in the last minute): "in 4m 30s" is noise while typing an
 * update, and an overdue update must read as overdue, never as a negative duration.
 */

/** "45s", "5m", "1h 20m", "2d 3h": rounded to what a person acts on. */
export function roughDuration(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 60) return `${Math.max(1, s)}s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h}h ${m % 60}m` : `${h}h`;
  return h % 24 ? `${Math.floor(h / 24)}d ${h % 24}h` : `${Math.floor(h / 24)}d`;
}

/** The due time on the reader's clock; with the date when it is not today there. */
function dueClock(dueAt: string, zone: string, now: number): string {
  const day = (t: string | number) => formatInZone(new Date(t), zone, { seconds: false }).slice(0, 10);
  return formatInZone(dueAt, zone, { seconds: false, date: day(dueAt) !== day(now) });
}

/**
 * "next update due 14:20 CET (in 5m)", or "update overdue by 3m" once the time has passed;
 * null when no update is owed (resolved, closed, SEV5).
 */
export function updateDueText(dueAt: string | null, zone: string, now: number): string | null {
  if (!dueAt) return null;
  const left = Date.parse(dueAt) - now;
  return left > 0 ? `next update due ${dueClock(dueAt, zone, now)} (in ${roughDuration(left)})` : `update overdue by ${roughDuration(left)}`;
}

/** The same for a column of a list: "in 5m", "overdue by 3m", or "—" when none is owed. */
export function updateDueCell(dueAt: string | null | undefined, now: number): string {
  if (!dueAt) return '—';
  const left = Date.parse(dueAt) - now;
  return left > 0 ? `in ${roughDuration(left)}` : `overdue by ${roughDuration(left)}`;
}
