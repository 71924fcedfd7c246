import { z } from 'zod';

/*
 * A team's settings: configuration the whole team shares, kept by the hub (team_settings, one
 * row per team and key) and cached by each cockpit so it holds offline. Not an incident's event:
 * the hub is the one authority, admins change it, every member reads it.
 *
 * Each setting is a TeamSettingDef: its storage key, the zod schema of its value, the shape of a
 * change and how a change applies, and its wire names. The hub serves, the stores keep and the
 * cockpit pulls every setting through the same generic code (server/team-settings/,
 * main/core/store/team-settings.ts, main/core/sync/team-settings.ts); a new setting is a new
 * def, not a new copy of that machinery.
 *
 * Per setting, client → hub (with an ack): events.get {} → answer; events.set {changes} |
 * {reset: true} → {team: answer, changed} (admins only). Hub → client: events.changed {by}.
 * The answer is {[field]: value | null, setBy, setAt}: null when the team has set none.
 */

/** A key of team_settings: short, lower case, so a hand-typed or hostile one is refused early. */
export const TeamSettingKeySchema = z.string().regex(/^[a-z][a-z0-9.-]{0,63}$/, 'a team setting key is lower-case letters, digits, dots and dashes');

export interface TeamSettingDef<T, C> {
  /** team_settings.key on the hub and on the cockpit. */
  readonly key: string;
  /** The answer's field that carries the value ('cadence' for the update cadence, as it shipped). */
  readonly field: string;
  /** What people call it, in refusals: "update cadence". */
  readonly what: string;
  readonly schema: z.ZodType<T>;
  /** A change to the current value (the default when the team has none). */
  readonly changes: z.ZodType<C>;
  readonly defaults: T;
  apply(base: T, changes: C): T;
  same(a: T, b: T): boolean;
  readonly events: { readonly get: string; readonly set: string; readonly changed: string };
}

/** Any def, whatever its value type (for lists of them). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTeamSettingDef = TeamSettingDef<any, any>;

/** A team's setting as the hub keeps it: null value when the team has set none. */
export interface TeamSetting<T> {
  value: T | null;
  /** A member's name, or "hub operator" for a change made on the hub's own machine. */
  setBy: string | null;
  setAt: string | null;
}

const Who = z.string().max(200).nullable();
const When = z.string().max(64).nullable();

/** The answer on the wire, read into a TeamSetting. */
export function teamSettingAnswerSchema<T>(def: TeamSettingDef<T, unknown>): z.ZodType<TeamSetting<T>> {
  return z
    .object({ [def.field]: def.schema.nullable(), setBy: Who, setAt: When })
    .transform((a) => ({ value: (a[def.field] ?? null) as T | null, setBy: a['setBy'] as string | null, setAt: a['setAt'] as string | null }));
}

/** A TeamSetting in the wire's shape. */
export function teamSettingAnswer<T>(def: TeamSettingDef<T, unknown>, s: TeamSetting<T>): Record<string, unknown> {
  return { [def.field]: s.value, setBy: s.setBy, setAt: s.setAt };
}

export const TeamSettingGetRequestSchema = z.object({}).strict();

/** Changes, or a reset to Conn's defaults; never both. */
export function teamSettingSetRequestSchema<C>(def: TeamSettingDef<unknown, C>) {
  return z
    .object({ changes: def.changes.optional(), reset: z.literal(true).optional() })
    .strict()
    .refine((r) => (r.changes === undefined) !== (r.reset === undefined), 'give either changes or reset, not both');
}

export function teamSettingSetAckSchema<T>(def: TeamSettingDef<T, unknown>) {
  return z.object({ team: teamSettingAnswerSchema(def), changed: z.boolean() });
}

export const TeamSettingChangedSchema = z.object({ by: z.string().max(200) });
export type TeamSettingChanged = z.infer<typeof TeamSettingChangedSchema>;

/** What a change makes of the current value; null changes = reset (no row, the defaults). */
export function nextTeamSetting<T, C>(def: TeamSettingDef<T, C>, current: T | null, changes: C | null): { next: T | null; changed: boolean } {
  if (changes === null) return { next: null, changed: current !== null };
  const next = def.apply(current ?? def.defaults, changes);
  return { next, changed: current === null || !def.same(current, next) };
}
