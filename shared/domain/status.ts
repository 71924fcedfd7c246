import { z } from 'zod';

/** The incident lifecycle, in the order an incident normally walks it. */
export const STATUSES = ['triage', 'investigating', 'identified', 'monitoring', 'resolved', 'closed'] as const;
export const StatusSchema = z.enum(STATUSES, {
  error: () => `status must be one of: ${STATUSES.join(', ')}`,
});
export type Status = z.infer<typeof StatusSchema>;

export const STATUS_MEANING: Record<Status, string> = {
  triage: 'Declared; impact and ownership are being established',
  investigating: 'Responders are looking for the cause',
  identified: 'The cause is known and a fix is under way',
  monitoring: 'A fix or mitigation is in place and being watched',
  resolved: 'Customer impact is over',
  closed: 'Follow-up is done; the retrospective is written',
};

/** Active incidents are the ones that still need a commander's attention and stakeholder updates. */
export function isActiveStatus(status: Status): boolean {
  return status !== 'resolved' && status !== 'closed';
}

export function parseStatus(input: string): Status {
  const parsed = StatusSchema.safeParse(input.trim().toLowerCase());
  if (!parsed.success) throw new RangeError(`unknown status "${input}": use one of ${STATUSES.join(', ')}`);
  return parsed.data;
}
