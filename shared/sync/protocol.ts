import { z } from 'zod';
import { IdSchema } from '../domain/ids.js';
import { LIMITS } from '../domain/limits.js';
import { TimeZoneSchema, WorkingHoursSchema } from '../time/zone.js';

/*
 * The hub protocol: socket.io events with acknowledgements. Every message is a zod schema with
 * its inferred type beside it, and the comment above each states what the hub and the clients
 * promise about it. socket.io carries and fans out; the dense per-team sequence and the client's
 * cursor make it correct. Nothing here depends on socket.io's connection-state recovery.
 *
 * Client → hub (each with an ack):  'push', 'pull', 'subscribe', 'profile.publish', 'profiles.pull'
 *                                   (and 'deliveries.list', 'cadence.get', 'cadence.set': shared/updates/)
 * Hub → client (no ack):            'events', 'presence', 'profiles'
 * Shared call recordings ('recording.offer', 'recording.chunk', …) ride the same connection, with
 * their own schemas and limits in recording-protocol.ts.
 */

/**
 * The protocol version this code speaks, sent by clients in the handshake and by the hub in the
 * subscribe ack. Bump it when either side starts sending something the other side's older
 * version cannot read. History:
 *   1: the first hub.
 *   2: ids are namespaced per team, so a refusal says 'not-found' rather than confirming
 *      another team's id; 'rate-limited' refuses a whole push or sign-in, with retryAfterMs;
 *      'incompatible' refuses a client at connect.
 *
 * Who is compatible is the hub's decision, made once at connect: a hub accepts every client
 * from HUB_MIN_CLIENT_PROTOCOL up to its own version, and speaks each one its own version (a
 * protocol-1 client never sees a code it cannot read: see server/hub/compat.ts). A client newer
 * than the hub is refused ("upgrade the hub"): the hub cannot know what it would need. A client
 * keeps working with any hub that accepted it, whatever version the ack reports.
 */
export const HUB_PROTOCOL_VERSION = 2;

/** The oldest client protocol a hub of this version still serves (clients that send none speak 1). */
export const HUB_MIN_CLIENT_PROTOCOL = 1;

/** What a handshake without `protocol` means: every client before version 2 sent none. */
export const UNVERSIONED_PROTOCOL = 1;

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
  /** The pull page every hub serves, and the default: hubs before `pullEventsMax` refuse a larger limit. */
  pullEvents: LIMITS.pageEvents,
  /**
   * The largest pull page this hub serves, said in the subscribe ack (`pullEvents`). A page is
   * also cut at `messageBytes` of event bodies (always at least one event), so a big limit
   * never makes a big message. Larger pages make a catch-up commit (and fsync) less often.
   */
  pullEventsMax: 2000,
  tokenChars: 200,
  /** An event stamped further ahead of the hub's clock than this is rejected as 'clock-drift'. */
  maxClockAheadMs: 60_000,
  /** Profiles one 'profiles.pull' answers with (a team has far fewer members). */
  profiles: 10_000,
} as const;

/** The socket.io wire events, named once. */
export const HUB_EVENTS = {
  push: 'push',
  pull: 'pull',
  subscribe: 'subscribe',
  events: 'events',
  presence: 'presence',
} as const;

/**
 * Teammates' profiles, named apart from HUB_EVENTS: those are the sync engine's own, while these
 * are sent by the profile service over the engine's socket (a HubChannel), as runbooks are.
 */
export const PROFILE_HUB_EVENTS = {
  publish: 'profile.publish',
  pull: 'profiles.pull',
  changed: 'profiles',
} as const;

/** Roles a team member holds on the hub. A viewer reads everything of the team and writes nothing. */
export const MemberRoleSchema = z.enum(['admin', 'member', 'viewer']);
export type MemberRole = z.infer<typeof MemberRoleSchema>;

/** A protocol version: a positive integer (HUB_PROTOCOL_VERSION). */
export const ProtocolVersionSchema = z.number().int().positive().max(1_000_000);

/**
 * Sent once, as socket.io's `auth` on connect. The hub resolves it to exactly one team and
 * member, or refuses the connection with a `connect_error` whose `data` is a HubErrorData.
 * `protocol` is the client's HUB_PROTOCOL_VERSION; clients before version 2 send none, which
 * the hub reads as 1. The hub checks the version before it looks at the token, and refuses a
 * client outside its range with 'incompatible' and a sentence naming the side to upgrade.
 */
export const HandshakeAuthSchema = z.object({
  token: z.string().min(1, 'no token').max(HUB_LIMITS.tokenChars, 'token is too long'),
  protocol: ProtocolVersionSchema.optional(),
});
export type HandshakeAuth = z.infer<typeof HandshakeAuthSchema>;

/**
 * Why a request, a connection or one event was refused: a stable code and a sentence to act on.
 *
 * 'incompatible' refuses a connection only, at connect: the client's protocol is outside the
 * hub's range, and the sentence says whether to upgrade Conn or the hub. Retrying cannot help.
 *
 * 'rate-limited' refuses a whole request or connection, never one event: the hub wrote nothing
 * for it, and `retryAfterMs` says how long to wait before the same request can fit the hub's
 * budget (a client waits at least that long, and keeps every event meanwhile). `retryAfterMs`
 * appears with 'rate-limited' only.
 */
export const HubErrorDataSchema = z.object({
  code: z.enum(['unauthenticated', 'forbidden', 'not-found', 'invalid-input', 'too-large', 'clock-drift', 'conflict', 'unavailable', 'rate-limited', 'incompatible', 'internal']),
  message: z.string(),
  retryAfterMs: z.number().int().nonnegative().optional(),
});
export type HubErrorData = z.infer<typeof HubErrorDataSchema>;
export type HubErrorCode = HubErrorData['code'];

/** A failed request's ack. Nothing was written. */
export const HubFailureSchema = z.object({ error: HubErrorDataSchema });
export type HubFailure = z.infer<typeof HubFailureSchema>;

/**
 * Why one pushed event was refused for good. Never 'rate-limited' (that refuses the whole push)
 * nor 'incompatible' (that refuses the connection).
 */
export const EventRejectionCodeSchema = HubErrorDataSchema.shape.code.exclude(['rate-limited', 'incompatible']);

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
 * 'pull': the team's events with seq > `after`, in seq order, at most `limit` and at most
 * HUB_LIMITS.messageBytes of event bodies (but always one event when there is one). Sequence numbers
 * are dense per team (1, 2, 3, … with no gaps), so `after` = the last seq applied is a complete
 * cursor: pulling until `more` is false catches up fully, whatever was missed while offline.
 */
export const PullRequestSchema = z.object({
  after: z.number().int().min(0),
  limit: z.number().int().min(1).max(HUB_LIMITS.pullEventsMax).default(HUB_LIMITS.pullEvents),
  /**
   * 'json': each `event` of the answer is the event's JSON text as the hub stored it, not an
   * object, so neither side builds and walks objects only to serialise them again. A hub from
   * before it ignores the field and sends objects; a client reads either (parseEvent takes both).
   */
  bodies: z.literal('json').optional(),
});
export type PullRequest = z.input<typeof PullRequestSchema>;

/**
 * A committed event and its team sequence number. `event` passed the hub's parseEvent; in a pull
 * answer to `bodies: 'json'` it is that event's JSON text.
 */
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

/**
 * `protocol` is the hub's own HUB_PROTOCOL_VERSION (a protocol-1 hub sends none). It is
 * information, never a reason to stop: a hub that accepted the handshake serves the client's
 * version, so a client that sees a newer hub keeps working (and may tell its person a newer
 * Conn exists).
 */
export const SubscribeAckSchema = z.object({
  team: z.string(),
  member: z.object({ id: z.string(), name: z.string(), role: MemberRoleSchema }),
  head: z.number().int().nonnegative(),
  protocol: ProtocolVersionSchema.optional(),
  /**
   * The largest `limit` this hub's 'pull' accepts. Hubs from before it send none and accept
   * HUB_LIMITS.pullEvents, so a client asks for more only when told. (An added optional field,
   * not a protocol version: an older client ignores it.)
   */
  pullEvents: z.number().int().min(1).max(1_000_000).optional(),
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

/**
 * 'profile.publish': the sender's own time zone and working hours ("HH:MM-HH:MM" in that zone,
 * may wrap past midnight), stored per team member. The profile is always the connected member's:
 * the hub takes the name from the token, never from the message. `name`, when sent, must be that
 * member's invite name (case-insensitive), else the whole request is refused 'forbidden', so a
 * client cannot set a teammate's zone. Clients publish after each subscribe ack and whenever the
 * local profile changes; publishing the profile the hub already has changes nothing and is not
 * broadcast. A viewer may publish: a profile describes the person, it writes nothing of the team.
 * A protocol-2 hub from before profiles never acks these requests: the client's request times
 * out, it keeps the teammates it had, and tries again at the next connection (no version bump,
 * since a bump would make every older hub refuse newer cockpits outright).
 */
export const ProfilePublishRequestSchema = z.object({
  name: z.string().trim().min(1).max(LIMITS.nameChars).optional(),
  timeZone: TimeZoneSchema,
  workingHours: WorkingHoursSchema,
});
export type ProfilePublishRequest = z.infer<typeof ProfilePublishRequestSchema>;

/** A team member's profile as the hub stores it; `updatedAt` is the hub's ISO time of the last change. */
export const MemberProfileSchema = z.object({
  name: z.string().min(1).max(LIMITS.nameChars),
  timeZone: TimeZoneSchema,
  workingHours: WorkingHoursSchema,
  updatedAt: z.string().max(40),
});
export type MemberProfile = z.infer<typeof MemberProfileSchema>;

/** `changed` is false when the hub already had exactly this profile (nothing was broadcast). */
export const ProfilePublishAckSchema = z.object({ profile: MemberProfileSchema, changed: z.boolean() });
export type ProfilePublishAck = z.infer<typeof ProfilePublishAckSchema>;

/** 'profiles.pull': takes nothing; a team is small, so the whole roster comes in one answer. */
export const ProfilesPullRequestSchema = z.object({}).strict();
export type ProfilesPullRequest = z.infer<typeof ProfilesPullRequestSchema>;

/**
 * Every profile of the caller's team and no other team's, one per member who is not revoked,
 * ordered by name (case-insensitive). At most HUB_LIMITS.profiles entries.
 */
export const ProfilesPullResponseSchema = z.object({ profiles: z.array(MemberProfileSchema).max(HUB_LIMITS.profiles) });
export type ProfilesPullResponse = z.infer<typeof ProfilesPullResponseSchema>;

/**
 * 'profiles': sent to the team room after (never before) a profile changed. It carries only who
 * changed: a notice, not the data, so a lost one costs nothing more than a stale clock until the
 * next subscribe, when every client pulls the profiles anyway.
 */
export const ProfilesBroadcastSchema = z.object({ name: z.string() });
export type ProfilesBroadcast = z.infer<typeof ProfilesBroadcastSchema>;

/** An ack is either the result or a failure; this tells them apart without a cast at every call. */
export function isHubFailure(ack: unknown): ack is HubFailure {
  return typeof ack === 'object' && ack !== null && 'error' in ack;
}
