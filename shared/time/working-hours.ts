import { TZDate } from '@date-fns/tz';

/*
 * Working hours as stretches of real time. A profile stores them as "09:00-17:00" in the person's
 * own zone; a call planner also gets them as { start, end }. Either way the question "is this
 * whole stretch inside them?" is answered by turning the person's local working day into two
 * instants with the tz library, never by adding offsets by hand: on a DST day the library knows
 * that 09:00-17:00 is 7 or 9 hours of real time, and where 02:30 does not exist.
 */

export type WorkingHoursInput = string | { start: string; end: string };

export interface WorkingHours {
  /** Minutes after local midnight. */
  start: number;
  end: number;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

function minutesOf(hhmm: string): number {
  const m = HHMM.exec(hhmm.trim());
  if (!m) throw new RangeError(`working hours look like 09:00-17:00, not "${hhmm}"`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** Either spelling, checked. start > end means the hours cross midnight (22:00-06:00). */
export function parseWorkingHours(hours: WorkingHoursInput): WorkingHours {
  if (typeof hours === 'string') {
    const [from, to, extra] = hours.split('-');
    if (from === undefined || to === undefined || extra !== undefined) throw new RangeError(`working hours look like 09:00-17:00, not "${hours}"`);
    return { start: minutesOf(from), end: minutesOf(to) };
  }
  return { start: minutesOf(hours.start), end: minutesOf(hours.end) };
}

/** The instant the local wall time `minutes` after midnight of (y, m, d) has in `zone`. */
function wallTime(zone: string, y: number, m: number, d: number, minutes: number): number {
  // Day overflow (d = 0, d = 32) is normalised by the Date arithmetic TZDate inherits; a wall
  // time inside a DST gap comes out shifted forward, the way a person's clock reads it.
  return new TZDate(y, m, d, Math.floor(minutes / 60), minutes % 60, zone).getTime();
}

/**
 * Whether the whole of [from, to) lies inside one stretch of working hours. Equal start and end
 * mean no working hours at all, as isWithinWorkingHours (zone.ts) reads them.
 */
export function isInsideWorkingHours(hours: WorkingHoursInput, zone: string, from: Date, to: Date): boolean {
  const wh = parseWorkingHours(hours);
  if (wh.start === wh.end) return false;
  const crosses = wh.start > wh.end;
  const local = new TZDate(from.getTime(), zone);
  const [y, m, d] = [local.getFullYear(), local.getMonth(), local.getDate()];
  // The stretch holding `from` began on its local day, or the day before when it crosses midnight.
  for (const day of crosses ? [d - 1, d] : [d]) {
    const begins = wallTime(zone, y, m, day, wh.start);
    const ends = wallTime(zone, y, m, crosses ? day + 1 : day, wh.end);
    if (from.getTime() >= begins && to.getTime() <= ends) return true;
  }
  return false;
}

/**
 * Whether `at` falls inside the working hours: a one-millisecond stretch, so the end of the day
 * (17:00 sharp) is already outside, as isWithinWorkingHours reads it.
 */
export function isWorkingAt(hours: WorkingHoursInput, zone: string, at: Date): boolean {
  return isInsideWorkingHours(hours, zone, at, new Date(at.getTime() + 1));
}
