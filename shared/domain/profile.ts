import { z } from 'zod';
import { TimeZoneSchema, WorkingHoursSchema } from '../time/zone.js';
import { LIMITS } from './limits.js';

/** Who is at this keyboard. Every event they write carries their id and name. */
export const ProfileSchema = z.object({
  id: z.string().min(1).max(64),
  name: z.string().trim().min(1, 'a name is required').max(LIMITS.nameChars),
  timeZone: TimeZoneSchema,
  workingHours: WorkingHoursSchema,
});
export type Profile = z.infer<typeof ProfileSchema>;

export const ProfileUpdateSchema = ProfileSchema.omit({ id: true }).partial();
export type ProfileUpdate = z.infer<typeof ProfileUpdateSchema>;
