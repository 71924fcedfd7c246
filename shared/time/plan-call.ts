import { isInsideWorkingHours, parseWorkingHours, type WorkingHoursInput } from './working-hours.js';
import { formatInZone, isValidTimeZone } from './zone.js';

/*
 * Planning a call across time zones: which of the next slots keeps the most people inside their
 * working hours for the whole call. Each slot says, for every attendee, what their own clock will
 * read, so whoever proposes it can see who pays for it with their evening.
 */

export interface CallAttendee {
  name: string;
  timeZone: string;
  /** "09:00-17:00" as a profile stores it, or { start: '09:00', end: '17:00' }. */
  workingHours: WorkingHoursInput;
}

export interface PlanCallInput {
  attendees: CallAttendee[];
  lengthMin: number;
  /** The earliest start; slots begin on whole steps of UTC at or after it. */
  from: Date | string;
  /** How far ahead to look; a slot must end inside it. Default 72 hours. */
  horizonMin?: number;
  /** Default 30 minutes. */
  stepMin?: number;
  /** How many slots to propose. Default 5. */
  count?: number;
}

export interface SlotAttendee {
  name: string;
  timeZone: string;
  /** "2026-03-08 09:00 PDT": the attendee's own clock, with the zone's abbreviation. */
  localStart: string;
  localEnd: string;
  inside: boolean;
}

export interface CallSlot {
  /** UTC ISO instants. */
  start: string;
  end: string;
  /** Attendees inside their working hours for the whole slot. */
  inside: number;
  attendees: SlotAttendee[];
}

/** More candidates than this is a typo in the step or the horizon, not a plan. */
const MAX_CANDIDATES = 10_000;

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number of minutes, not ${value}`);
  return value;
}

/** The best `count` slots: most attendees inside their hours first, then the earliest. */
export function planCall(input: PlanCallInput): CallSlot[] {
  const length = positive('the call length', input.lengthMin) * 60_000;
  const step = positive('the step', input.stepMin ?? 30) * 60_000;
  const horizon = positive('the horizon', input.horizonMin ?? 72 * 60) * 60_000;
  const count = Math.floor(input.count ?? 5);
  if (count < 1) throw new RangeError('ask for at least one slot');
  const from = typeof input.from === 'string' ? Date.parse(input.from) : input.from.getTime();
  if (!Number.isFinite(from)) throw new RangeError(`not a time: ${String(input.from)}`);
  for (const a of input.attendees) {
    if (!isValidTimeZone(a.timeZone)) throw new RangeError(`unknown time zone "${a.timeZone}" for ${a.name}`);
    parseWorkingHours(a.workingHours); // refuse bad hours before scanning, with the person's words
  }

  // Whole steps of UTC, so a 30-minute step proposes :00 and :30 (which Kathmandu reads as :45 and :15).
  const first = Math.ceil(from / step) * step;
  if ((from + horizon - length - first) / step > MAX_CANDIDATES) throw new RangeError('too many slots to consider: widen the step or shorten the horizon');
  const candidates: Array<{ start: number; inside: boolean[] }> = [];
  for (let start = first; start + length <= from + horizon; start += step) {
    const s = new Date(start);
    const e = new Date(start + length);
    candidates.push({ start, inside: input.attendees.map((a) => isInsideWorkingHours(a.workingHours, a.timeZone, s, e)) });
  }
  const score = (c: { inside: boolean[] }) => c.inside.filter(Boolean).length;
  candidates.sort((a, b) => score(b) - score(a) || a.start - b.start);

  return candidates.slice(0, count).map((c) => {
    const start = new Date(c.start);
    const end = new Date(c.start + length);
    return {
      start: start.toISOString(),
      end: end.toISOString(),
      inside: score(c),
      attendees: input.attendees.map((a, i) => ({
        name: a.name,
        timeZone: a.timeZone,
        localStart: formatInZone(start, a.timeZone, { seconds: false }),
        localEnd: formatInZone(end, a.timeZone, { seconds: false }),
        inside: c.inside[i] ?? false,
      })),
    };
  });
}
