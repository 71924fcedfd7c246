import { z } from 'zod';
import { LIMITS } from '../domain/limits.js';

/*
 * The break-glass pack: what the IC needs when everything else is down: who to call, where
 * the bridge is, how to update the status page by hand. It lives in the local database so it
 * is there with no network, and is written as YAML so it can live in the team's repo.
 */

const Line = z.string().trim().min(1).max(500);
/** Links are opened from the cockpit, so only web and phone links are allowed: no javascript:. */
const Link = z
  .string()
  .trim()
  .max(2000)
  .regex(/^(https?:\/\/|tel:|mailto:)/i, 'a link must start with https://, http://, tel: or mailto:');

export const ContactSchema = z.object({
  name: z.string().trim().min(1).max(LIMITS.nameChars),
  role: Line.optional(),
  phone: z.string().trim().max(60).optional(),
  email: z.string().trim().max(200).optional(),
  notes: Line.optional(),
});

export const BridgeSchema = z.object({
  name: z.string().trim().min(1).max(LIMITS.nameChars),
  dialIn: z.string().trim().max(200).optional(),
  pin: z.string().trim().max(60).optional(),
  url: Link.optional(),
  notes: Line.optional(),
});

export const StatusPageSchema = z.object({
  url: Link.optional(),
  /** Markdown: how to post an update when the usual tooling is down. */
  instructions: z.string().trim().max(LIMITS.textChars).optional(),
  templates: z.array(z.object({ name: z.string().trim().min(1).max(LIMITS.nameChars), text: z.string().trim().min(1).max(LIMITS.textChars) })).max(20).default([]),
});

export const BreakGlassPackSchema = z.object({
  team: z.string().trim().max(LIMITS.nameChars).optional(),
  escalation: z.array(ContactSchema).max(200).default([]),
  bridges: z.array(BridgeSchema).max(50).default([]),
  statusPage: StatusPageSchema.optional(),
  notes: z.string().trim().max(LIMITS.textChars).optional(),
});
export type BreakGlassPack = z.infer<typeof BreakGlassPackSchema>;

/** A pack file is small; anything bigger is not a pack. */
export const BREAKGLASS_MAX_BYTES = 256 * 1024;
