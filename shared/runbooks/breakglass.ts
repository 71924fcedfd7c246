import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { z } from 'zod';
import { ConnError, describeZodIssue } from '../domain/errors.js';
import { LIMITS } from '../domain/limits.js';
import { formatBytes } from './document.js';

/*
 * The break-glass pack: what the IC needs when everything else is down: who to call, where
 * the bridge is, how to update the status page by hand. It lives in the local database so it
 * is there with no network, and is written as YAML so it can live in the team's repo.
 *
 * A team shares it through the hub's runbook channel: it is published as the runbook named
 * BREAKGLASS_PACK_NAME whose text is the pack's YAML, so it gets the runbooks' versions, conflict
 * check, cursor pull and authorisation with no table or message of its own.
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

/** The runbook name the pack travels under on the hub; no local runbook may take it. */
export const BREAKGLASS_PACK_NAME = 'breakglass-pack';

/** Refuses a runbook named like the pack, so a pulled pack can never be mistaken for one (or the reverse). */
export function refuseReservedRunbookName(name: string): void {
  if (name === BREAKGLASS_PACK_NAME) {
    throw new ConnError('invalid-input', `the name "${name}" is reserved for the break-glass pack: rename the runbook, or use \`conn breakglass import\` for a pack`);
  }
}

/** Parses a pack written as YAML or JSON (JSON is YAML); refuses it whole if anything is wrong. */
export function parseBreakGlass(text: string): BreakGlassPack {
  if (text.length > BREAKGLASS_MAX_BYTES) throw new ConnError('too-large', `a break-glass pack is at most ${formatBytes(BREAKGLASS_MAX_BYTES)}`);
  let raw: unknown;
  try {
    raw = parseYaml(text, { prettyErrors: true });
  } catch (err) {
    throw new ConnError('invalid-input', `the break-glass pack is not valid YAML: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`);
  }
  const parsed = BreakGlassPackSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new ConnError('invalid-input', `the break-glass pack is invalid: ${describeZodIssue(parsed.error.issues, { paths: true })}`);
  return parsed.data;
}

export function breakGlassToYaml(pack: BreakGlassPack): string {
  return toYaml(pack, { lineWidth: 100 });
}

/** The break-glass pack as a cockpit keeps it (`breakglass.get`). */
export interface StoredBreakGlass {
  pack: BreakGlassPack;
  updatedAt: string;
  author: string;
  /** The hub seq this pack is based on; null if it was never published or pulled. */
  hubSeq: number | null;
  /** Whether it was edited locally since it was last published or pulled. */
  unpublished: boolean;
}
