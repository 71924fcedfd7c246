import { z } from 'zod';
import { HlcSchema } from '../sync/hlc.js';
import { validate as uuidValidate } from 'uuid';
import { IdSchema } from './ids.js';
import { LIMITS, serialisedBytes } from './limits.js';
import { RetroEditSchema, RetroStateChangeSchema } from './retro.js';
import { RoleSchema } from './roles.js';
import { SeveritySchema } from './severity.js';
import { StatusSchema } from './status.js';

const Text = z
  .string()
  .trim()
  .min(1, 'text is empty')
  .max(LIMITS.textChars, `text is longer than ${LIMITS.textChars} characters`);
const Title = z
  .string()
  .trim()
  .min(1, 'a title is required')
  .max(LIMITS.titleChars, `a title is at most ${LIMITS.titleChars} characters`);
const Name = z.string().trim().min(1, 'a name is required').max(LIMITS.nameChars);
const Service = z.string().trim().min(1).max(LIMITS.serviceChars);
const Services = z.array(Service).max(LIMITS.services);
const IsoTime = z.iso.datetime({ offset: true, error: 'expected an ISO 8601 time' });
/** Into a recording: at most 8 hours (RECORDING_LIMITS in recording.ts, which imports the fold). */
const DurationMs = z.number().int().min(0).max(8 * 3600_000);
/** A recording's size: 8 hours of 16 kHz 16-bit mono, with room for the header. */
const Bytes = z.number().int().min(0).max(1_000_000_000);

export const AuthorSchema = z.object({ id: z.string().min(1).max(64), name: Name });
export type Author = z.infer<typeof AuthorSchema>;

export const HYPOTHESIS_STATES = ['open', 'ruled-out', 'confirmed'] as const;
export const ACTION_STATES = ['open', 'done', 'cancelled'] as const;
export type ActionStateValue = (typeof ACTION_STATES)[number];
export const MILESTONES = ['impactStartedAt', 'detectedAt', 'acknowledgedAt', 'mitigatedAt', 'resolvedAt'] as const;
export type Milestone = (typeof MILESTONES)[number];

/** Payload schema for each event kind. Adding a kind means adding it here and to the fold. */
export const PAYLOADS = {
  'incident.declared': z.object({
    title: Title,
    severity: SeveritySchema,
    services: Services.default([]),
    summary: Text.optional(),
    detectedAt: IsoTime.optional(),
    impactStartedAt: IsoTime.optional(),
  }),
  'incident.edited': z
    .object({ title: Title.optional(), summary: Text.optional(), services: Services.optional() })
    .refine((p) => p.title !== undefined || p.summary !== undefined || p.services !== undefined, 'nothing to edit'),
  note: z.object({ text: Text }),
  decision: z.object({ text: Text }),
  hypothesis: z.object({ text: Text }),
  'hypothesis.updated': z.object({ target: IdSchema, state: z.enum(HYPOTHESIS_STATES) }),
  'action.added': z.object({ text: Text, owner: Name.optional(), due: IsoTime.optional() }),
  'action.updated': z
    .object({
      target: IdSchema,
      text: Text.optional(),
      owner: Name.nullable().optional(),
      due: IsoTime.nullable().optional(),
      state: z.enum(ACTION_STATES).optional(),
    })
    .refine((p) => p.text !== undefined || p.owner !== undefined || p.due !== undefined || p.state !== undefined, 'nothing to update'),
  'status.changed': z.object({ status: StatusSchema }),
  'severity.changed': z.object({ severity: SeveritySchema }),
  'role.assigned': z.object({ role: RoleSchema, person: Name.nullable() }),
  'update.posted': z.object({ text: Text, audience: z.string().trim().max(LIMITS.nameChars).optional() }),
  'runbook.attached': z.object({
    runbookId: z.string().min(1).max(200),
    name: Name,
    version: z.number().int().min(1),
    steps: z.array(z.object({ key: z.string().min(1).max(64), text: Text })).max(LIMITS.runbookSteps),
  }),
  'runbook.step-done': z.object({ target: IdSchema, step: z.string().min(1).max(64), done: z.boolean() }),
  'call.started': z.object({ title: Title.optional(), bridge: z.string().trim().max(500).optional() }),
  'call.ended': z.object({ target: IdSchema }),
  'attendee.joined': z.object({ target: IdSchema, person: Name }),
  'attendee.left': z.object({ target: IdSchema, person: Name }),
  /**
   * A call planned for later (a follow-up, the retrospective's review): when, for how long, who
   * must attend. Each attendee's cockpit notifies them when `at` arrives.
   */
  'call.planned': z.object({
    at: IsoTime,
    lengthMin: z.number().int().min(5, 'a call is at least 5 minutes').max(8 * 60, 'a call is at most 8 hours'),
    attendees: z.array(Name).min(1, 'a planned call needs at least one attendee').max(LIMITS.plannedCallAttendees),
    title: Title.optional(),
  }),
  /**
   * `status`: minutes Conn writes when a call ends are a draft until the scribe, the commander
   * or an admin publishes them (a second minutes.written of the same call). Minutes written
   * before drafts existed carry no status and read as published.
   */
  'minutes.written': z.object({ target: IdSchema.optional(), text: Text, status: z.enum(['draft', 'published']).optional() }),
  'handoff.offered': z.object({ role: RoleSchema, to: Name.nullable(), brief: Text }),
  'handoff.accepted': z.object({ target: IdSchema }),
  'entry.pinned': z.object({ target: IdSchema, pinned: z.boolean() }),
  'entry.edited': z.object({ target: IdSchema, text: Text }),
  'entry.redacted': z.object({ target: IdSchema, reason: z.string().trim().min(1, 'a redaction needs a reason').max(500) }),
  'milestone.set': z.object({ milestone: z.enum(MILESTONES), at: IsoTime }),
  /** One field of the retrospective (shared/domain/retro.ts): the document is made of these. */
  'retro.edited': RetroEditSchema,
  /** The retrospective's review state; publishing is the commander's or an admin's (authority.ts). */
  'retro.state': RetroStateChangeSchema,
  /**
   * Call audio (docs/call-audio.md): someone's cockpit records a call (`target`). The audio stays
   * on that device until they, or the commander, share it; everyone sees that the call is recorded.
   */
  'recording.started': z.object({ target: IdSchema, recordingId: IdSchema, startedAt: IsoTime }),
  'recording.stopped': z.object({ target: IdSchema, recordingId: IdSchema, durationMs: DurationMs, bytes: Bytes }),
  'recording.shared': z.object({ target: IdSchema, recordingId: IdSchema, durationMs: DurationMs, bytes: Bytes }),
  /** A stretch of a transcript scrubbed, like entry.redacted for an entry: the segment starting at `startMs`. */
  'transcript.redacted': z.object({
    recordingId: IdSchema,
    startMs: DurationMs,
    reason: z.string().trim().min(1, 'a redaction needs a reason').max(500),
  }),
} as const;

export type EventKind = keyof typeof PAYLOADS;
export const EVENT_KINDS = Object.keys(PAYLOADS) as EventKind[];
export type PayloadOf<K extends EventKind> = z.infer<(typeof PAYLOADS)[K]>;
/** What a writer passes for a kind (defaults not yet applied). */
export type PayloadInputOf<K extends EventKind> = z.input<(typeof PAYLOADS)[K]>;

/** Kinds whose text is the entry itself; these can be pinned, edited and redacted. */
export const TEXT_KINDS = ['note', 'decision', 'hypothesis', 'action.added', 'update.posted', 'minutes.written', 'handoff.offered'] as const satisfies readonly EventKind[];
export type TextKind = (typeof TEXT_KINDS)[number];
export function isTextKind(kind: EventKind): kind is TextKind {
  return (TEXT_KINDS as readonly string[]).includes(kind);
}

/**
 * The envelope every event travels in. `hlc` orders the timeline and, with `id` as the
 * tie-break, decides last-writer-wins. `supersedes` lists the writes of the same field the
 * author had seen; two writes that do not supersede each other are shown as concurrent.
 */
const Envelope = {
  id: IdSchema,
  incidentId: IdSchema,
  hlc: HlcSchema,
  author: AuthorSchema,
  supersedes: z.array(IdSchema).max(LIMITS.supersedes).optional(),
};

const variants = EVENT_KINDS.map((kind) =>
  z.object({ ...Envelope, kind: z.literal(kind), payload: PAYLOADS[kind] }),
) as unknown as [z.ZodObject, z.ZodObject, ...z.ZodObject[]];

type EventOf<K extends EventKind> = {
  id: string;
  incidentId: string;
  hlc: string;
  author: { id: string; name: string };
  supersedes?: string[] | undefined;
  kind: K;
  payload: PayloadOf<K>;
};
export type ConnEvent = { [K in EventKind]: EventOf<K> }[EventKind];
export type EventOfKind<K extends EventKind> = EventOf<K>;

export const EventSchema = z.discriminatedUnion('kind', variants) as unknown as z.ZodType<ConnEvent>;

export class EventValidationError extends Error {
  readonly code = 'invalid-event';
}

/** The refusal for an event over the size limit, worded the same on every side. */
export function tooLargeMessage(bytes: number): string {
  return `the entry is ${Math.ceil(bytes / 1024)} KiB once saved; the limit is ${LIMITS.eventBytes / 1024} KiB: shorten it or attach the rest as a file`;
}

/**
 * Parses an untrusted event: checks size first so a 10 MB blob is never walked by zod. Size is
 * serialised UTF-8 bytes, the measure the hub and the cockpit share.
 */
export function parseEvent(raw: unknown): ConnEvent {
  const plain = typeof raw === 'string' ? undefined : parsePlainEntry(raw);
  if (plain) return plain;
  const size = serialisedBytes(raw);
  if (size > LIMITS.eventBytes) throw new EventValidationError(tooLargeMessage(size));
  const value: unknown = typeof raw === 'string' ? JSON.parse(raw) : raw;
  // JSON text was measured as it is: the parsed value needs only the shape check.
  if (typeof raw === 'string') {
    const parsedPlain = parsePlainEntry(value);
    if (parsedPlain) return parsedPlain;
  }
  const parsed = EventSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    throw new EventValidationError(`invalid event${where}: ${issue?.message ?? 'malformed'}`);
  }
  return parsed.data;
}

/** The entry an event points at, for kinds that target another event. */
export function targetOf(e: ConnEvent): string | undefined {
  const p = e.payload as { target?: string };
  return p.target;
}

/** Total order of the timeline: by clock stamp, then by id. Arrival order never matters. */
export function compareEvents(a: Pick<ConnEvent, 'hlc' | 'id'>, b: Pick<ConnEvent, 'hlc' | 'id'>): number {
  if (a.hlc !== b.hlc) return a.hlc < b.hlc ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Kinds whose whole payload is `{ text }`: most of any timeline, so parseEvent checks them without zod. */
const PLAIN_ENTRY_KINDS: ReadonlySet<string> = new Set(['note', 'decision', 'hypothesis'] satisfies EventKind[]);
const HLC_PATTERN = /^\d{13}-\d{5}$/;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A string zod's trimmed Text/Name schema would pass unchanged: already trimmed, within min..max code units. */
function trimmedWithin(v: unknown, min: number, max: number): v is string {
  return typeof v === 'string' && v.length >= min && v.length <= max && v.trim() === v;
}

/**
 * The zod check of EventSchema, written out for a note, decision or hypothesis in exactly the
 * shape writers send (no other keys, no `supersedes`, text and name already trimmed): about 20x
 * cheaper, and a catch-up checks every event it pulls. It answers only when the answer is sure
 * to be zod's, value for value; anything else (another kind or shape, a check that fails)
 * returns undefined and goes through zod, which also words the refusal. The size is bounded
 * without serialising: a UTF-16 unit is at most 6 bytes of JSON (a \u escape), and the keys and
 * punctuation are under 200; an event near the limit is measured exactly by the caller.
 * events.test.ts holds it to zod's verdicts over generated and mutated events.
 */
export function parsePlainEntry(raw: unknown): ConnEvent | undefined {
  if (!isPlainObject(raw) || !PLAIN_ENTRY_KINDS.has(raw['kind'] as string)) return undefined;
  const { id, incidentId, hlc, author, payload } = raw;
  if (Object.keys(raw).length !== 6 || !isPlainObject(author) || !isPlainObject(payload)) return undefined;
  if (Object.keys(author).length !== 2 || Object.keys(payload).length !== 1) return undefined;
  const text = payload['text'];
  const authorId = author['id'];
  const authorName = author['name'];
  if (typeof id !== 'string' || id.length > 36 || !uuidValidate(id)) return undefined;
  if (typeof incidentId !== 'string' || incidentId.length > 36 || !uuidValidate(incidentId)) return undefined;
  if (typeof hlc !== 'string' || !HLC_PATTERN.test(hlc)) return undefined;
  if (typeof authorId !== 'string' || authorId.length < 1 || authorId.length > 64) return undefined;
  if (!trimmedWithin(authorName, 1, LIMITS.nameChars) || !trimmedWithin(text, 1, LIMITS.textChars)) return undefined;
  const units = id.length + incidentId.length + hlc.length + authorId.length + authorName.length + (raw['kind'] as string).length + text.length;
  if (units * 6 + 200 > LIMITS.eventBytes) return undefined;
  return { id, incidentId, hlc, author: { id: authorId, name: authorName }, kind: raw['kind'] as 'note', payload: { text } };
}
