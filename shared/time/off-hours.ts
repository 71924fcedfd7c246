import { TZDate } from '@date-fns/tz';
import { localClock } from './zone.js';
import { isWorkingAt, parseWorkingHours, type WorkingHoursInput } from './working-hours.js';

/*
 * Someone asleep in another zone: whether a thing handed to them landed outside their working
 * hours ("outside hours, 02:14 their time"), and when a desktop notification for them may fire.
 * A notification outside their hours waits for the start of their next working stretch, found by
 * asking the tz library for the wall time in their zone (never by adding offsets by hand), so a
 * DST morning or a UTC+5:45 zone starts on their clock. A SEV1 is the exception: it wakes people.
 */

export interface PersonHours {
  timeZone: string;
  workingHours: WorkingHoursInput;
}

/** "outside hours, 02:14 their time", or null inside their hours (or without their profile). */
export function outsideHoursNote(person: PersonHours | null | undefined, at: Date): string | null {
  if (!person || isWorkingAt(person.workingHours, person.timeZone, at)) return null;
  return `outside hours, ${localClock(at, person.timeZone)} their time`;
}

/** The first instant at or after `at` inside the working hours; null when there are none. */
export function nextWorkingStart(person: PersonHours, at: Date): Date | null {
  const wh = parseWorkingHours(person.workingHours);
  if (wh.start === wh.end) return null;
  if (isWorkingAt(person.workingHours, person.timeZone, at)) return at;
  const local = new TZDate(at.getTime(), person.timeZone);
  // Today's start, else tomorrow's (a stretch that crosses midnight starts on the evening before).
  for (const dayOffset of [0, 1, 2]) {
    const start = new TZDate(local.getFullYear(), local.getMonth(), local.getDate() + dayOffset, Math.floor(wh.start / 60), wh.start % 60, person.timeZone);
    if (start.getTime() > at.getTime()) return new Date(start.getTime());
  }
  return null;
}

export interface NotifyInput {
  /** The person the notification is for; null when their hours are unknown (it goes at once). */
  person: PersonHours | null;
  severity: number;
  /** When it would fire. */
  at: Date;
}

/**
 * When a notification for `person` may be shown: at once inside their hours or for a SEV1,
 * otherwise when their next working stretch starts. Hours of "09:00-09:00" mean none: nothing
 * would ever be delivered, so it goes at once.
 */
export function notifyAt({ person, severity, at }: NotifyInput): Date {
  if (person === null || severity === 1) return at;
  return nextWorkingStart(person, at) ?? at;
}
