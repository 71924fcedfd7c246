import { v7 as uuidv7, validate as uuidValidate } from 'uuid';
import { z } from 'zod';

/**
 * Every event and incident id is a UUIDv7 made by the client that wrote it. It is the
 * idempotency key end to end, so it must never be re-minted for the same logical write.
 */
export const IdSchema = z
  .string()
  .max(36)
  .refine((s) => uuidValidate(s), 'not a valid id (expected a UUID)');
export type Id = z.infer<typeof IdSchema>;

export function newId(): Id {
  return uuidv7();
}
