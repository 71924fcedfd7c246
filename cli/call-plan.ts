import { ConnError } from '../shared/domain/errors.js';
import type { CallAttendee } from '../shared/time/plan-call.js';
import { parseWorkingHours } from '../shared/time/working-hours.js';
import { isValidTimeZone } from '../shared/time/zone.js';

/*
 * Who a planned call is with, as `conn call plan` reads it: names from --with, each matched to a
 * profile this cockpit knows (its own, and teammates' once the hub shares them: 'profiles.list'
 * on h/mem-profiles), else to a --tz NAME=ZONE[@HH:MM-HH:MM] the person typed. A name nobody
 * can place is refused rather than guessed: a call planned on a wrong zone wakes someone up.
 */

export interface KnownProfile {
  name: string;
  timeZone: string;
  workingHours: string | { start: string; end: string };
}

const DEFAULT_HOURS = '09:00-17:00';

/** "bo=Asia/Tokyo" or "bo=Asia/Tokyo@08:00-16:00". */
export function parseTzPair(input: string): KnownProfile {
  const m = /^([^=]+)=([^@]+)(?:@(.+))?$/.exec(input.trim());
  if (!m) throw new ConnError('invalid-input', `--tz takes NAME=ZONE (or NAME=ZONE@09:00-17:00), not "${input}"`);
  const [, name, zone, hours] = m as unknown as [string, string, string, string | undefined];
  if (!isValidTimeZone(zone.trim())) throw new ConnError('invalid-input', `--tz: "${zone.trim()}" is not an IANA time zone (like Europe/Berlin)`);
  const workingHours = hours?.trim() ?? DEFAULT_HOURS;
  try {
    parseWorkingHours(workingHours);
  } catch (err) {
    throw new ConnError('invalid-input', `--tz: ${(err as Error).message}`);
  }
  return { name: name.trim(), timeZone: zone.trim(), workingHours };
}

/** The attendees in --with order: --tz pairs first (what the person typed now), then known profiles. */
export function attendeesOf(names: string[], known: KnownProfile[], pairs: KnownProfile[]): CallAttendee[] {
  const byName = (list: KnownProfile[], n: string) => list.find((p) => p.name.trim().toLowerCase() === n.trim().toLowerCase());
  const unknown: string[] = [];
  const out: CallAttendee[] = [];
  for (const n of names.map((x) => x.trim()).filter(Boolean)) {
    const p = byName(pairs, n) ?? byName(known, n);
    if (p) out.push({ name: p.name, timeZone: p.timeZone, workingHours: p.workingHours });
    else unknown.push(n);
  }
  if (unknown.length) {
    throw new ConnError('not-found', `this cockpit does not know where ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'}: add --tz ${unknown[0]}=ZONE (like --tz ${unknown[0]}=Asia/Tokyo)`);
  }
  if (out.length === 0) throw new ConnError('invalid-input', '--with needs at least one name');
  return out;
}

/** "30m", "1h", "1h30m" or plain minutes ("45"). */
export function parseLength(input: string): number {
  const m = /^(?:(\d+)h)?(?:(\d+)m?)?$/.exec(input.trim());
  const min = m && (m[1] || m[2]) ? Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0) : NaN;
  if (!Number.isInteger(min) || min < 5 || min > 8 * 60) throw new ConnError('invalid-input', `--length is 5m to 8h, like 30m or 1h30m, not "${input}"`);
  return min;
}
