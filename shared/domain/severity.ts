import { z } from 'zod';

/** SEV1 is the worst. The meanings are shown in help texts and the declare dialog. */
export const SEVERITIES = [1, 2, 3, 4, 5] as const;
export const SeveritySchema = z
  .number({ error: 'severity must be a number from 1 to 5' })
  .int('severity must be a whole number from 1 to 5')
  .min(1, 'severity must be from 1 (worst) to 5')
  .max(5, 'severity must be from 1 (worst) to 5');
export type Severity = z.infer<typeof SeveritySchema>;

export const SEVERITY_MEANING: Record<Severity, string> = {
  1: 'Critical: a core service is down or data is at risk for many customers',
  2: 'Major: a key feature is broken or badly degraded for many customers',
  3: 'Minor: partial degradation with a workaround, or a few customers affected',
  4: 'Low: cosmetic or internal impact, no customer-facing harm yet',
  5: 'Informational: a near miss or a drill, tracked for learning',
};

export function severityLabel(sev: Severity): string {
  return `SEV${sev}`;
}

/** Accepts 1, "1", "sev1", "SEV1" — what a responder types on a terminal. */
export function parseSeverity(input: string | number): Severity {
  const text = String(input).trim().toLowerCase().replace(/^sev/, '');
  const n = Number(text);
  const parsed = SeveritySchema.safeParse(text === '' ? Number.NaN : n);
  if (!parsed.success) throw new RangeError(`unknown severity "${input}": use 1 (worst) to 5`);
  return parsed.data;
}
