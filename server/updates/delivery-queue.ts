import type { EventOfKind } from '../../shared/domain/events.js';
import { RESPONSE_EXCERPT_CHARS, type ChannelKind, type DeliveryState, type DeliveryStatus } from '../../shared/updates/delivery-protocol.js';
import type { ChannelConfig } from './channel-requests.js';
import type { ChannelInput } from './channel-config.js';
import type { UpdateSnapshot } from './update-snapshot.js';

/*
 * The durable delivery queue, one row per (update, channel), kept in the hub's store (SQLite or
 * Postgres: sqlite-queue.ts, postgres-queue.ts). Rows are written by the commit that stores the
 * update, in its transaction, so an update the hub accepted is always queued, and one it did not
 * never is, even across a crash.
 *
 * A delivery is claimed before it is sent: the claim bumps `attempts` and pushes
 * `next_attempt_at` a lease into the future. If the hub dies mid-request, nothing records the
 * outcome, and once the lease has passed the row is claimed again and sent again with the same
 * Idempotency-Key. `attempts` doubles as a fencing token: an outcome is recorded only by the
 * claim that made it, never by a slow one whose lease ran out.
 *
 * Deliveries of one incident to one channel go out in commit order: a row is not claimed while
 * an earlier one of the same pair is still queued (a status page must see the incident created
 * before it is updated).
 */

/** A channel as `conn hub channel list` shows it: never its secret, and a URL cut to its origin (a Slack URL is itself a secret). */
export interface ChannelInfo {
  name: string;
  kind: ChannelKind;
  target: string;
  createdAt: string;
}

export interface ClaimedDelivery {
  teamId: string;
  incidentId: string;
  eventId: string;
  /** This claim's attempt number (1 for the first); the fencing token for settle. */
  attempt: number;
  channel: ChannelConfig;
  snapshot: UpdateSnapshot;
  /** statuspage: the incident it created on the first update, if one did. */
  remoteIncidentId: string | null;
}

export interface DeliveryOutcome {
  channelId: string;
  eventId: string;
  attempt: number;
  state: DeliveryState;
  status: number | null;
  response: string | null;
  /** When `state` is queued: the next try. */
  nextAttemptAt: number | null;
  /** statuspage: the id of the incident the first delivery created. */
  remoteIncidentId?: string | undefined;
}

export interface DeliveryQueue {
  /** Refuses a name the team already has ('conflict'). The input was checked by checkChannel. */
  addChannel(team: string, input: ChannelInput): Promise<ChannelInfo>;
  channels(team: string): Promise<ChannelInfo[]>;
  /** Deletes the channel (and its secret); its deliveries still queued end as failed. */
  removeChannel(team: string, name: string): Promise<boolean>;
  /** Up to `limit` deliveries due at `nowMs`, each leased until nowMs + leaseMs. */
  claim(nowMs: number, leaseMs: number, limit: number): Promise<ClaimedDelivery[]>;
  /** Records an outcome; false (and nothing written) when this claim was overtaken by a newer one. */
  settle(outcome: DeliveryOutcome, nowMs: number): Promise<{ teamId: string; incidentId: string } | null>;
  forIncident(teamId: string, incidentId: string): Promise<DeliveryStatus[]>;
  /** The earliest next_attempt_at of a queued row, for the deliverer's sleep; null when none is queued. */
  nextDue(): Promise<number | null>;
}

/** Who gets an update: a status page is public, so it gets only the updates written for customers. */
export function channelTakes(kind: ChannelKind, update: EventOfKind<'update.posted'>): boolean {
  return kind !== 'statuspage' || update.payload.audience === 'customers';
}

/** SQL for the same rule, over a channels table aliased `c` and the update's audience as a parameter. */
export const TAKES_SQL = (audienceParam: string) => `(c.kind <> 'statuspage' OR ${audienceParam} = 'customers')`;

export function excerpt(text: string | null): string | null {
  if (text === null) return null;
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > RESPONSE_EXCERPT_CHARS ? `${flat.slice(0, RESPONSE_EXCERPT_CHARS)}…` : flat;
}

export function targetOfUrl(url: string): string {
  const u = new URL(url);
  return u.pathname === '/' || u.pathname === '' ? u.origin : `${u.origin}/…`;
}

/** The row shape both stores select for forIncident. */
export interface DeliveryRow {
  event_id: string;
  channel_name: string;
  kind: ChannelKind;
  state: DeliveryState;
  attempts: number | string;
  last_status: number | null;
  last_response: string | null;
  next_attempt_at: number | string;
  delivered_at: number | string | null;
  updated_at: number | string;
}

export function statusOf(r: DeliveryRow): DeliveryStatus {
  const iso = (ms: number | string) => new Date(Number(ms)).toISOString();
  return {
    updateId: r.event_id,
    channel: r.channel_name,
    kind: r.kind,
    state: r.state,
    attempts: Number(r.attempts),
    lastStatus: r.last_status,
    lastResponse: r.last_response,
    nextAttemptAt: r.state === 'queued' ? iso(r.next_attempt_at) : null,
    deliveredAt: r.delivered_at === null ? null : iso(r.delivered_at),
    updatedAt: iso(r.updated_at),
  };
}
