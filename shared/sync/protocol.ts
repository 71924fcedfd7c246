import { z } from 'zod';
import { IdSchema } from '../domain/ids.js';
import { LIMITS } from '../domain/limits.js';

/*
 * The hub protocol: socket.io events with acknowledgements. Every message is a zod schema with
 * its inferred type beside it, and the comment above each states what the hub and the clients
 * promise about it. socket.io carries and fans out; the dense per-team sequence and the client's
 * cursor make it correct. Nothing here depends on socket.io's connection-state recovery.
 *
 * Client → hub (each with an ack):  'push', 'pull', 'subscribe'
 * Hub → client (no ack):            'events', 'presence'
 */

export const HUB_PROTOCOL_VERSION = 1;

/**
 * Size limits of the wire. A socket.io message larger than `messageBytes` is dropped by the
 * transport before it is parsed (socket.io's maxHttpBufferSize), so one client cannot make the
 * hub buffer more than that. One event is at most LIMITS.eventBytes (256 KiB) once serialised;
 * a push carries at most `pushEvents` events *and* `messageBytes` in all, and clients batch to
 * fit both.
 */
export const HUB_LIMITS = {
  messageBytes: 8 * 1024 * 1024,
  pushEvents: LIMITS.pageEvents,
  pullEvents: LIMITS.pageEvents,
  tokenChars: 200,
  /** An event stamped further ahead of the hub's clock than this is rejected as 'clock-drift'. */
  maxClockAheadMs: 60_000,
} as const;

/** The socket.io wire events, named once. */
export const HUB_EVENTS = {
  push: 'push',
  pull: 'pull',
  subscribe: 'subscribe',
  events: 'events',
  presence: 'presence',
} as const;

/** Roles a team member holds on the hub. A viewer reads everything of the team and writes nothing. */
export const MemberRoleSchema = z.enum(['admin', 'member', 'viewer']);
export type MemberRole = z.infer<typeof MemberRoleSchema>;

/**
 * Sent once, as socket.io's `auth` on connect. The hub resolves it to exactly one team and
 * member, or refuses the connection with a `connect_error` whose `data` is a HubErrorData.
 */
export const HandshakeAuthSchema = z.object({
  token: z.string().min(1, 'no token').max(HUB_LIMITS.tokenChars, 'token is too long'),
});
export type HandshakeAuth = z.infer<typeof HandshakeAuthSchema>;

/**
 * Why a request, a connection or one event was refused: a stable code and a sentence to act on.
 *
 * 'rate-limited' refuses a whole request or connection, never one event: the hub wrote nothing
 * for it, and `retryAfterMs` says how long to wait before the same request can fit the hub's
 * budget (a client waits at least that long, and keeps every event meanwhile). `retryAfterMs`
 * appears with 'rate-limited' only.
 */
export const HubErrorDataSchema = z.object({
  code: z.enum(['unauthenticated', 'forbidden', 'not-found', 'invalid-input', 'too-large', 'clock-drift', 'conflict', 'unavailable', 'rate-limited', 'internal']),
  message: z.string(),
  retryAfterMs: z.number().int().nonnegative().optional(),
});
export type HubErrorData = z.infer<typeof HubErrorDataSchema>;
export type HubErrorCode = HubErrorData['code'];

/** A failed request's ack. Nothing was written. */
export const HubFailureSchema = z.object({ error: HubErrorDataSchema });
export type HubFailure = z.infer<typeof HubFailureSchema>;

/** Why one pushed event was refused for good. Never 'rate-limited': that refuses the whole push. */
export const EventRejectionCodeSchema = HubErrorDataSchema.shape.code.exclude(['rate-limited']);

/**
 * 'push': events the client authored (or relays), oldest first, in outbox order. Events are
 * validated one by one by the hub (parseEvent), so a malformed one is rejected alone; here they
 * are only counted. A push that does not fit the member's or the team's budget on this hub node
 * (events per second, bytes per day) is refused whole with 'rate-limited' before any event is
 * looked at: all of it is committed, or none of it.
 */
export const PushRequestSchema = z.object({
  events: z.array(z.unknown()).min(1, 'nothing to push').max(HUB_LIMITS.pushEvents, `a push carries at most ${HUB_LIMITS.pushEvents} events`),
});
export type PushRequest = z.infer<typeof PushRequestSchema>;

/**
 * The push ack, sent only after the hub's commit. Every pushed id appears exactly once, in
 * `accepted` or `rejected`. An accepted id has its team sequence number; pushing an id the hub
 * already has is accepted again with the seq it got the first time (idempotency), so a client
 * may re-push anything whose ack it never saw. A rejected event will be rejected again: the
 * client records the reason and stops retrying it.
 */
export const PushAckSchema = z.object({
  accepted: z.array(z.object({ id: z.string(), seq: z.number().int().positive() })),
  rejected: z.array(z.object({ id: z.string(), code: EventRejectionCodeSchema, message: z.string() })),
  head: z.number().int().nonnegative(),
});
export type PushAck = z.infer<typeof PushAckSchema>;
export type PushRejection = PushAck['rejected'][number];

/**
 * 'pull': the team's events with seq > `after`, in seq order, at most `limit`. Sequence numbers
 * are dense per team (1, 2, 3, … with no gaps), so `after` = the last seq applied is a complete
 * cursor: pulling until `more` is false catches up fully, whatever was missed while offline.
 */
export const PullRequestSchema = z.object({
  after: z.number().int().min(0),
  limit: z.number().int().min(1).max(HUB_LIMITS.pullEvents).default(HUB_LIMITS.pullEvents),
});
export type PullRequest = z.input<typeof PullRequestSchema>;

/** A committed event and its team sequence number. `event` passed the hub's parseEvent. */
export const SequencedEventSchema = z.object({ seq: z.number().int().positive(), event: z.unknown() });
export type SequencedEvent = z.infer<typeof SequencedEventSchema>;

/** `head` is the team's highest committed seq when the page was read; `more` = head > last seq sent. */
export const PullResponseSchema = z.object({
  events: z.array(SequencedEventSchema),
  more: z.boolean(),
  head: z.number().int().nonnegative(),
});
export type PullResponse = z.infer<typeof PullResponseSchema>;

/**
 * 'subscribe': joins the team room (broadcasts of every committed event) and, with
 * `incidentId`, the incident's presence room. Subscribing again moves presence to the new
 * incident; `incidentId: null` leaves presence. The ack carries the head so a client knows
 * whether to pull at once. A client pushes its outbox only after this ack.
 */
export const SubscribeRequestSchema = z.object({ incidentId: IdSchema.nullable().optional() });
export type SubscribeRequest = z.infer<typeof SubscribeRequestSchema>;

export const PresenceMemberSchema = z.object({ memberId: z.string(), name: z.string() });
export type PresenceMember = z.infer<typeof PresenceMemberSchema>;

export const SubscribeAckSchema = z.object({
  team: z.string(),
  member: z.object({ id: z.string(), name: z.string(), role: MemberRoleSchema }),
  head: z.number().int().nonnegative(),
});
export type SubscribeAck = z.infer<typeof SubscribeAckSchema>;

/**
 * 'events': sent to the team room after (never before) a commit. `from..to` is the seq range the
 * commit assigned and `events` are exactly those events, in seq order. A client whose cursor is
 * `from - 1` may apply them directly; any other client pulls from its cursor. Broadcasts can be
 * lost (a hub crash between commit and broadcast, a reconnect): the cursor pull heals that.
 */
export const EventsBroadcastSchema = z.object({
  from: z.number().int().positive(),
  to: z.number().int().positive(),
  events: z.array(SequencedEventSchema),
});
export type EventsBroadcast = z.infer<typeof EventsBroadcastSchema>;

/** 'presence': who is connected to an incident right now, sent to the team room on each change. */
export const PresenceBroadcastSchema = z.object({
  incidentId: z.string(),
  members: z.array(PresenceMemberSchema),
});
export type PresenceBroadcast = z.infer<typeof PresenceBroadcastSchema>;

/** An ack is either the result or a failure; this tells them apart without a cast at every call. */
export function isHubFailure(ack: unknown): ack is HubFailure {
  return typeof ack === 'object' && ack !== null && 'error' in ack;
}
