import { closeSync, openSync, readSync } from 'node:fs';
import type { z } from 'zod';
import { ConnError, describeZodIssue, type FieldWords } from '../shared/domain/errors.js';
import { ACTION_STATES, HYPOTHESIS_STATES, MILESTONES, type ActionStateValue, type Milestone } from '../shared/domain/events.js';
import { LIMITS } from '../shared/domain/limits.js';
import { FACTOR_CATEGORIES, RETRO_STATES, type FactorCategory, type RetroState } from '../shared/domain/retro.js';
import { parseSeverity, type Severity } from '../shared/domain/severity.js';
import { parseStatus, type Status } from '../shared/domain/status.js';
import { isValidTimeZone } from '../shared/time/zone.js';

/*
 * Turning what a person typed into domain values. Every failure is a ConnError('invalid-input')
 * with one line saying what to type instead, raised before the database is opened.
 */

/**
 * Checks what a person typed against the domain's own schema, so a refusal names the option
 * they typed ("--hours: working hours look like 09:00-17:00") rather than a field of the
 * payload. `words` maps payload fields to the command's options; the core checks again.
 */
export function checkedInput(schema: z.ZodType, value: unknown, words: FieldWords): void {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ConnError('invalid-input', describeZodIssue(parsed.error.issues, { words }));
}

export function severityArg(input: string): Severity {
  try {
    return parseSeverity(input);
  } catch (err) {
    throw new ConnError('invalid-input', (err as Error).message);
  }
}

export function statusArg(input: string): Status {
  try {
    return parseStatus(input);
  } catch (err) {
    throw new ConnError('invalid-input', (err as Error).message);
  }
}

/** One of `values`, any case, spaces or underscores for hyphens ("Ruled out" is ruled-out). */
function oneOf<T extends string>(input: string, values: readonly T[], what: string, aliases: Readonly<Record<string, T>> = {}): T {
  const s = input.trim().toLowerCase().replace(/[\s_]+/g, '-');
  const hit = values.find((v) => v === s) ?? aliases[s];
  if (hit) return hit;
  throw new ConnError('invalid-input', `unknown ${what} "${input}": use ${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`);
}

export type HypothesisStateValue = (typeof HYPOTHESIS_STATES)[number];

export function hypothesisStateArg(input: string): HypothesisStateValue {
  return oneOf(input, HYPOTHESIS_STATES, 'hypothesis state', { ruledout: 'ruled-out', 'rule-out': 'ruled-out' });
}

export function actionStateArg(input: string): ActionStateValue {
  return oneOf(input, ACTION_STATES, 'action state', { canceled: 'cancelled' });
}

export function retroStateArg(input: string): RetroState {
  return oneOf(input, RETRO_STATES, 'retrospective state', { review: 'in-review', inreview: 'in-review', publish: 'published' });
}

export function factorCategoryArg(input: string): FactorCategory {
  return oneOf(input, FACTOR_CATEGORIES, 'factor category');
}

/** A milestone as people say it ("impact-started", "mitigated"), for its field (impactStartedAt). */
export const MILESTONE_WORDS: Readonly<Record<string, Milestone>> = Object.fromEntries(
  MILESTONES.map((m) => [m.replace(/At$/, '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`), m]),
);

export function milestoneArg(input: string): Milestone {
  const words = Object.keys(MILESTONE_WORDS);
  // The field's own name (impactStartedAt) is read too: it is what --json prints.
  const field = MILESTONES.find((m) => m.toLowerCase() === input.trim().toLowerCase());
  return field ?? MILESTONE_WORDS[oneOf(input, words, 'milestone')]!;
}

/** Who a stakeholder update is for. The domain takes any word; the CLI keeps to the three teams use. */
export const AUDIENCES = ['internal', 'customers', 'executives'] as const;

export function audienceArg(input: string): (typeof AUDIENCES)[number] {
  return oneOf(input, AUDIENCES, 'audience', { customer: 'customers', execs: 'executives', exec: 'executives' });
}

export function timeZoneArg(input: string): string {
  if (!isValidTimeZone(input.trim())) {
    throw new ConnError('invalid-input', `unknown time zone "${input}": use an IANA name such as Europe/Berlin or America/New_York`);
  }
  return input.trim();
}

/**
 * The text of a note, decision...: the words on the command line, or `-` for stdin, or
 * --file PATH. Long texts go through stdin or a file because argv has a size limit.
 */
export async function textArg(words: string[], file: string | undefined, stdin: AsyncIterable<Buffer | string> = process.stdin): Promise<string> {
  let text: string;
  if (file !== undefined) {
    if (words.length) throw new ConnError('invalid-input', 'give the text either as words or with --file, not both');
    text = readFileBounded(file);
  } else if (words.length === 1 && words[0] === '-') {
    text = await readStdin(stdin);
  } else {
    text = words.join(' ');
  }
  if (text.trim().length === 0) throw new ConnError('invalid-input', 'the text is empty; type it after the reference, or pass - to read stdin');
  if (text.length > LIMITS.textChars) {
    throw new ConnError('invalid-input', `the text is ${text.length} characters; the limit is ${LIMITS.textChars}: attach long logs elsewhere and link them`);
  }
  return text;
}

/*
 * Stdin and --file are read only up to what could still be a text within the limit (4 UTF-8
 * bytes a character at most): `kubectl logs | conn note REF -` or `--file /dev/zero` must get
 * the limit's sentence, not buffer gigabytes until the process dies.
 */
const MAX_TEXT_BYTES = LIMITS.textChars * 4;

function tooLong(): ConnError {
  return new ConnError('invalid-input', `the text is over ${MAX_TEXT_BYTES} bytes; the limit is ${LIMITS.textChars} characters: attach long logs elsewhere and link them`);
}

async function readStdin(stdin: AsyncIterable<Buffer | string>): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stdin) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    total += b.length;
    if (total > MAX_TEXT_BYTES) throw tooLong();
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function readFileBounded(file: string): string {
  const cannot = (err: unknown) => new ConnError('invalid-input', `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    throw cannot(err);
  }
  try {
    const buf = Buffer.alloc(MAX_TEXT_BYTES + 1);
    let n = 0;
    for (;;) {
      const r = readSync(fd, buf, n, buf.length - n, null);
      if (r === 0) break;
      n += r;
      if (n > MAX_TEXT_BYTES) throw tooLong();
    }
    return buf.subarray(0, n).toString('utf8');
  } catch (err) {
    throw err instanceof ConnError ? err : cannot(err);
  } finally {
    closeSync(fd);
  }
}

/** An ISO 8601 time with its offset: a time without one would be read in whichever zone runs conn. */
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/i;

/**
 * A due time: an ISO 8601 time, a duration from now ("30m", "2h", "1d"), or "HH:MM" — the
 * next such time on the clock of `zone`.
 */
export function dueArg(input: string, zone: string, now = new Date()): string {
  const s = input.trim();
  const rel = /^\+?(\d+)\s*(m|min|h|d)$/i.exec(s);
  if (rel) {
    const unit = rel[2]!.toLowerCase();
    const ms = Number(rel[1]) * (unit === 'd' ? 86_400_000 : unit === 'h' ? 3_600_000 : 60_000);
    return new Date(now.getTime() + ms).toISOString();
  }
  const hhmm = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(s);
  if (hhmm) return nextClockTime(Number(hhmm[1]), Number(hhmm[2]), zone, now).toISOString();
  if (ISO_TIME.test(s) && !Number.isNaN(Date.parse(s))) return new Date(s).toISOString();
  throw new ConnError('invalid-input', `cannot read the due time "${input}": use 30m, 2h, 1d, 16:30 or an ISO time like 2026-11-28T16:30:00Z`);
}

/**
 * A time something already happened (a milestone): "now", a duration ago ("20m ago"), "HH:MM"
 * on the clock of `zone` — today, or yesterday when today's is still to come — or an ISO 8601
 * time.
 */
export function pastTimeArg(input: string, zone: string, now = new Date()): string {
  const s = input.trim();
  if (/^now$/i.test(s)) return now.toISOString();
  const ago = /^(\d+)\s*(m|min|h|d)\s+ago$/i.exec(s);
  if (ago) {
    const unit = ago[2]!.toLowerCase();
    const ms = Number(ago[1]) * (unit === 'd' ? 86_400_000 : unit === 'h' ? 3_600_000 : 60_000);
    return new Date(now.getTime() - ms).toISOString();
  }
  const hhmm = /^(yesterday\s+)?([01]?\d|2[0-3]):([0-5]\d)$/i.exec(s);
  if (hhmm) {
    const [h, m] = [Number(hhmm[2]), Number(hhmm[3])];
    // "yesterday 23:50": that clock time on the date the zone's clock read 24 hours ago.
    if (hhmm[1] !== undefined) return new Date(clockTimeToday(h, m, zone, new Date(now.getTime() - 86_400_000))).toISOString();
    const today = clockTimeToday(h, m, zone, now);
    return new Date(today > now.getTime() ? today - 86_400_000 : today).toISOString();
  }
  if (ISO_TIME.test(s) && !Number.isNaN(Date.parse(s))) {
    // A minute's grace for clocks that differ a little; a time still to come has not happened.
    if (Date.parse(s) > now.getTime() + 60_000) throw new ConnError('invalid-input', `${input} is still to come: give the time it happened`);
    return new Date(s).toISOString();
  }
  throw new ConnError('invalid-input', `cannot read the time "${input}": use now, 20m ago, 14:05 (your zone: today, or yesterday if that is still to come), yesterday 23:50 or an ISO time like 2026-11-28T14:05:00Z`);
}

function nextClockTime(h: number, m: number, zone: string, now: Date): Date {
  const today = clockTimeToday(h, m, zone, now);
  return new Date(today <= now.getTime() ? today + 86_400_000 : today);
}

/** HH:MM on today's date as the clock of `zone` reads it now, as epoch milliseconds. */
function clockTimeToday(h: number, m: number, zone: string, now: Date): number {
  // Find the zone's offset now and place HH:MM on today's local date.
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  const localNowAsUtc = Date.UTC(Number(parts['year']), Number(parts['month']) - 1, Number(parts['day']), Number(parts['hour']), Number(parts['minute']));
  const offset = localNowAsUtc - Math.floor(now.getTime() / 60_000) * 60_000;
  return Date.UTC(Number(parts['year']), Number(parts['month']) - 1, Number(parts['day']), h, m) - offset;
}
