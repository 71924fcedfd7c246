import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';

/*
 * A <input type="datetime-local"> holds a wall-clock time with no zone ("2026-11-30T14:05").
 * The cockpit reads and writes it in the profile's zone, never the machine's, so a commander
 * travelling with a laptop still back-dates "impact started" in the zone everyone sees. The zone
 * arithmetic (offsets, daylight-saving gaps) is @date-fns/tz's, not ours.
 */

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** An instant as the input's value in `zone`: "2026-11-30T14:05". */
export function toZonedInput(at: string | Date, zone: string): string {
  const ms = typeof at === 'string' ? Date.parse(at) : at.getTime();
  return format(new TZDate(ms, zone), "yyyy-MM-dd'T'HH:mm");
}

/**
 * The input's value, read as a wall-clock time in `zone`, as a UTC ISO 8601 instant; null when
 * it is not a date and time. A time that does not exist (skipped by a spring-forward) moves
 * forward by the gap, as @date-fns/tz does; a time that happens twice (fall-back) is read as
 * the later one.
 */
export function fromZonedInput(value: string, zone: string): string | null {
  const m = LOCAL.exec(value.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((p) => Number(p ?? 0)) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const at = new TZDate(y, mo - 1, d, h, mi, s, zone);
  // 31 February rolls over into March in any Date constructor: refuse it instead.
  if (at.getFullYear() !== y || at.getMonth() !== mo - 1 || at.getDate() !== d) return null;
  return new Date(at.getTime()).toISOString();
}
