import { z } from 'zod';

export const STANDARD_ROLES = ['commander', 'deputy', 'comms', 'scribe', 'ops'] as const;

/** Custom roles ("db-lead", "customer-liaison") are allowed: lower-case words joined by dashes. */
export const RoleSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'a role needs a name')
  .max(40, 'a role name is at most 40 characters')
  .regex(/^[a-z][a-z0-9-]*$/, 'a role is lower-case letters, digits and dashes, e.g. "commander" or "db-lead"');
export type Role = z.infer<typeof RoleSchema>;

export const ROLE_MEANING: Record<(typeof STANDARD_ROLES)[number], string> = {
  commander: 'Incident commander: owns decisions and the response',
  deputy: 'Deputy: backs up the commander and keeps the checklist',
  comms: 'Communications: owns stakeholder and status-page updates',
  scribe: 'Scribe: keeps the timeline and the call minutes',
  ops: 'Operations lead: drives the hands-on remediation',
};

/** "ic" is what people say on calls; accept it for the commander. */
export function parseRole(input: string): Role {
  const aliased = input.trim().toLowerCase() === 'ic' ? 'commander' : input;
  const parsed = RoleSchema.safeParse(aliased);
  if (!parsed.success) throw new RangeError(parsed.error.issues[0]?.message ?? `bad role "${input}"`);
  return parsed.data;
}
