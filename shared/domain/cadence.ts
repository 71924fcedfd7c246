import { z } from 'zod';
import { SEVERITIES, type Severity } from './severity.js';

/*
 * The stakeholder-update cadence as a value: how soon after declaring the first update is owed,
 * and how often after that, per severity (null: none owed). Conn's defaults are DEFAULT_CADENCE;
 * a team may set its own on the hub (docs/update-delivery.md). Everything here is pure: the fold
 * and the countdown take a Cadence as a parameter, so the hub, the core and the renderer compute
 * the same due time from the same table.
 */

/** Each interval a team may set: at least a minute (a tighter rhythm is noise), at most a day. */
export const CADENCE_MIN_MINUTES = 1;
export const CADENCE_MAX_MINUTES = 24 * 60;

const RANGE = `an update cadence must be from 1m to 24h`;
const MinutesSchema = z
  .number({ error: `${RANGE} (a whole number of minutes)` })
  .int(`${RANGE} (a whole number of minutes)`)
  .min(CADENCE_MIN_MINUTES, RANGE)
  .max(CADENCE_MAX_MINUTES, RANGE);

export const CadenceStepSchema = z.object({ firstMin: MinutesSchema, everyMin: MinutesSchema }).strict();
export type CadenceStep = z.infer<typeof CadenceStepSchema>;

/** A whole table, one entry per severity; JSON keys "1".."5". */
export const CadenceSchema = z
  .object({ 1: CadenceStepSchema.nullable(), 2: CadenceStepSchema.nullable(), 3: CadenceStepSchema.nullable(), 4: CadenceStepSchema.nullable(), 5: CadenceStepSchema.nullable() })
  .strict();
export type Cadence = z.infer<typeof CadenceSchema>;

/** Some severities' new entries; the others keep theirs. At least one. */
export const CadenceChangesSchema = CadenceSchema.partial().refine((c) => Object.keys(c).length > 0, 'name at least one severity to change');
export type CadenceChanges = Partial<Cadence>;

/**
 * Conn's defaults, for a team that has set none. SEV1 must have its first update out within 5
 * minutes of declaring and then every 20, so stakeholders hear on a rhythm instead of chasing
 * the responders; lower severities relax, SEV5 needs none.
 */
export const DEFAULT_CADENCE: Cadence = {
  1: { firstMin: 5, everyMin: 20 },
  2: { firstMin: 15, everyMin: 30 },
  3: { firstMin: 30, everyMin: 60 },
  4: { firstMin: 60, everyMin: 240 },
  5: null,
};

export function applyCadenceChanges(base: Cadence, changes: CadenceChanges): Cadence {
  const out = { ...base };
  for (const sev of SEVERITIES) if (changes[sev] !== undefined) out[sev] = changes[sev];
  return out;
}

/** A severity's entry; null (none owed) for a severity the table lacks. */
export function cadenceStep(c: Cadence, severity: Severity): CadenceStep | null {
  // Severity is a number to the type checker; a severity the table lacks owes nothing.
  return (c as Record<number, CadenceStep | null | undefined>)[severity] ?? null;
}

export function sameCadence(a: Cadence, b: Cadence): boolean {
  return SEVERITIES.every((s) => {
    const [x, y] = [cadenceStep(a, s), cadenceStep(b, s)];
    return x === null || y === null ? x === y : x.firstMin === y.firstMin && x.everyMin === y.everyMin;
  });
}

/** "15m", "1h", "1h30m": what people type, and what Conn prints back. */
export function formatMinutes(min: number): string {
  const h = Math.floor(min / 60);
  const m = min % 60;
  return h === 0 ? `${m}m` : m === 0 ? `${h}h` : `${h}h${m}m`;
}

/** "first within 5m, then every 20m", "every 30m", "none owed". */
export function describeCadenceStep(step: CadenceStep | null): string {
  if (step === null) return 'none owed';
  return step.firstMin === step.everyMin ? `every ${formatMinutes(step.everyMin)}` : `first within ${formatMinutes(step.firstMin)}, then every ${formatMinutes(step.everyMin)}`;
}

/** "SEV1=5m/20m,SEV2=30m,…,SEV5=none": the table in the syntax parseCadenceSpec reads. */
export function cadenceSpec(c: Cadence): string {
  return SEVERITIES.map((s) => {
    const step = cadenceStep(c, s);
    const value = step === null ? 'none' : step.firstMin === step.everyMin ? formatMinutes(step.everyMin) : `${formatMinutes(step.firstMin)}/${formatMinutes(step.everyMin)}`;
    return `SEV${s}=${value}`;
  }).join(',');
}

/** "15m", "2h", "1h30m" → minutes, or a sentence saying what is wrong. */
function parseInterval(text: string, where: string): number {
  const t = text.trim().toLowerCase();
  const m = /^(?:(\d{1,3})h)?(?:(\d{1,4})m)?$/.exec(t);
  if (t === '' || !m || (m[1] === undefined && m[2] === undefined)) {
    if (/^\d+$/.test(t)) throw new RangeError(`${where}: "${text}" has no unit: write ${t}m or ${t}h`);
    throw new RangeError(`${where}: "${text}" is not a duration: write minutes or hours, like 15m, 2h or 1h30m`);
  }
  const minutes = Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
  if (minutes < CADENCE_MIN_MINUTES || minutes > CADENCE_MAX_MINUTES) throw new RangeError(`${where}: ${text} is out of range: ${RANGE}`);
  return minutes;
}

/**
 * Reads "SEV1=15m,SEV2=5m/30m,SEV5=none" (commas or spaces between entries; "sev1" or "1" for
 * the severity): `15m` means the first update within 15 minutes and then every 15; `5m/30m` the
 * first within 5, then every 30; `none` owes no updates. Throws a RangeError naming the entry
 * at fault; nothing is half-read.
 */
export function parseCadenceSpec(text: string): CadenceChanges {
  if (text.length > 1000) throw new RangeError('the cadence is too long: name each severity once, like SEV1=15m,SEV2=30m');
  const entries = text.split(/[\s,]+/).filter((e) => e !== '');
  if (entries.length === 0) throw new RangeError('no cadence given: name severities with their interval, like SEV1=15m,SEV2=30m (or SEV1=5m/20m for first/then every)');
  const out: CadenceChanges = {};
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    if (eq < 0) throw new RangeError(`"${entry}" is not SEVn=interval: write it like SEV1=15m`);
    const sevText = entry.slice(0, eq).trim();
    const sev = SEVERITIES.find((n) => String(n) === sevText.toLowerCase().replace(/^sev/, ''));
    if (sev === undefined) throw new RangeError(`"${entry}": unknown severity "${sevText}": use SEV1 to SEV5`);
    if (out[sev] !== undefined) throw new RangeError(`SEV${sev} is given twice: name each severity once`);
    const value = entry.slice(eq + 1).trim();
    if (value.toLowerCase() === 'none') {
      out[sev] = null;
      continue;
    }
    const parts = value.split('/');
    if (parts.length > 2) throw new RangeError(`"${entry}": write one interval (SEV${sev}=15m) or first/then every (SEV${sev}=5m/20m)`);
    const firstMin = parseInterval(parts[0]!, `SEV${sev}`);
    const everyMin = parts.length === 2 ? parseInterval(parts[1]!, `SEV${sev}`) : firstMin;
    out[sev] = { firstMin, everyMin };
  }
  return out;
}
