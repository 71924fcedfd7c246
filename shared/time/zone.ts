import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { z } from 'zod';

/**
 * Zones already checked. Building an Intl.DateTimeFormat costs ~0.2 ms, and the profile (with
 * its zone) is validated on every event written, so the answer is remembered; the set of zones
 * a runtime knows does not change while it runs.
 */
const knownZones = new Map<string, boolean>();

/** True when the runtime knows this IANA zone ("Europe/Berlin", "UTC"). */
export function isValidTimeZone(zone: string): boolean {
  if (zone.length === 0 || zone.length > 64) return false;
  const known = knownZones.get(zone);
  if (known !== undefined) return known;
  let valid: boolean;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    valid = true;
  } catch {
    valid = false;
  }
  if (knownZones.size < 1000) knownZones.set(zone, valid);
  return valid;
}

export const TimeZoneSchema = z
  .string()
  .trim()
  .refine(isValidTimeZone, {
    error: (issue) => `unknown time zone "${String(issue.input)}": use an IANA name such as Europe/Berlin or America/New_York`,
  });

/** Working hours as "HH:MM-HH:MM" in the person's own zone; may wrap past midnight (22:00-06:00). */
export const WorkingHoursSchema = z
  .string()
  .trim()
  .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, 'working hours look like 09:00-17:00');

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** Whether `at` falls inside the working hours, read in the person's zone. */
export function isWithinWorkingHours(hours: string, zone: string, at: Date): boolean {
  const [from, to] = hours.split('-') as [string, string];
  const local = new TZDate(at.getTime(), zone);
  const now = local.getHours() * 60 + local.getMinutes();
  const start = minutesOf(from);
  const end = minutesOf(to);
  return start <= end ? now >= start && now < end : now >= start || now < end;
}

/** "14:05" in the given zone: the roster's "their local time". */
export function localClock(at: Date, zone: string): string {
  return format(new TZDate(at.getTime(), zone), 'HH:mm');
}

/**
 * A timestamp as a person in `zone` reads it: "2026-11-28 14:05:09 CET". The zone's own
 * abbreviation (or offset) is always shown, so a time pasted into chat is never ambiguous.
 */
export function formatInZone(iso: string | Date, zone: string, opts: { seconds?: boolean; date?: boolean } = {}): string {
  const at = typeof iso === 'string' ? new Date(iso) : iso;
  const local = new TZDate(at.getTime(), zone);
  const pattern = `${opts.date === false ? '' : 'yyyy-MM-dd '}HH:mm${opts.seconds === false ? '' : ':ss'}`;
  const abbrev = abbreviator(zone)
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value;
  return `${format(local, pattern)} ${abbrev ?? zone}`;
}

/**
 * One formatter per zone, kept: building one costs ~0.2 ms, more than the formatting itself, and
 * minutes or a digest format thousands of times in a handful of zones.
 */
const abbreviators = new Map<string, Intl.DateTimeFormat>();
function abbreviator(zone: string): Intl.DateTimeFormat {
  let f = abbreviators.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'short' });
    if (abbreviators.size < 1000) abbreviators.set(zone, f);
  }
  return f;
}

/** "3h 12m", "45s": durations for ages, countdowns and MTTx. Negative means overdue. */
export function formatDuration(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  let s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86_400);
  s -= d * 86_400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (d > 0) return `${sign}${d}d ${h}h`;
  if (h > 0) return `${sign}${h}h ${m}m`;
  if (m > 0) return `${sign}${m}m ${s}s`;
  return `${sign}${s}s`;
}
