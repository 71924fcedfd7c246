import type { ConnEvent } from '../../shared/domain/events.js';
import type { IntegrationStore } from './integration-store.js';
import type { MemberProfile, MemberRole, PushAck, SequencedEvent } from '../../shared/sync/protocol.js';
import type { DeliveryQueue } from '../updates/delivery-queue.js';
import type { RecordingStore } from '../recordings/recording-store.js';
import type { CadenceStore, TeamSettingsStore } from '../team-settings/team-settings-store.js';

/** A team member as the hub knows them: resolved from a token, re-read on every request. */
export interface Member {
  id: string;
  teamId: string;
  team: string;
  name: string;
  role: MemberRole;
  revoked: boolean;
}

/** A member joined with its team, as both stores select it. */
export interface MemberRow {
  id: string;
  team_id: string;
  team: string;
  name: string;
  role: MemberRole;
  revoked_at: string | Date | null;
  salt: string;
  token_hash: string;
}

export function toMember(r: MemberRow): Member {
  return { id: r.id, teamId: r.team_id, team: r.team, name: r.name, role: r.role, revoked: r.revoked_at !== null };
}

/** What `invite` returns: the only time the token exists in clear. */
export interface Invite {
  token: string;
  team: string;
  name: string;
  role: MemberRole;
  memberId: string;
}

/** The outcome of one push, after its transaction committed. */
export interface CommitResult {
  accepted: PushAck['accepted'];
  rejected: PushAck['rejected'];
  /** Events that got a new seq in this commit, in seq order: what the hub broadcasts. */
  committed: SequencedEvent[];
  head: number;
}

/**
 * The hub's storage: teams, members and the per-team sequenced event log. Two implementations
 * (embedded SQLite, Postgres for several nodes) share the commit rules in commit.ts, so the
 * behaviour people see does not depend on which one a team runs.
 */
/** How a pull page is cut and carried (HubStore.pull). */
export interface PullPage {
  maxBytes?: number;
  json?: boolean;
}

export interface HubStore extends IntegrationStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Creates the team if needed; re-inviting a name rotates its token and lifts a revocation. */
  invite(team: string, name: string, role: MemberRole): Promise<Invite>;
  /** False when there is no such member. */
  revoke(team: string, name: string): Promise<boolean>;
  /** The member a token belongs to (revoked or not), or null for an unknown/wrong token. */
  authenticate(token: string): Promise<Member | null>;
  member(memberId: string): Promise<Member | null>;
  /** Validated events in, one transaction: dense seqs assigned, duplicates answered with their seq. */
  commit(member: Member, events: ConnEvent[]): Promise<CommitResult>;
  /**
   * The team's events after `after` in seq order: at most `limit`, and no more than `maxBytes`
   * of bodies in all, except that the first event is always included (it is at most
   * LIMITS.eventBytes, which fits any message). With `json`, each event is its stored JSON text.
   */
  pull(teamId: string, after: number, limit: number, page?: PullPage): Promise<{ events: SequencedEvent[]; head: number }>;
  head(teamId: string): Promise<number>;
  /**
   * Stores the member's own profile (validated by the caller). `changed` is false when it was
   * already exactly this, and then `updatedAt` keeps its earlier value.
   */
  publishProfile(member: Member, profile: { timeZone: string; workingHours: string }): Promise<{ profile: MemberProfile; changed: boolean }>;
  /** The team's profiles of members not revoked, by name (case-insensitive). */
  profiles(teamId: string): Promise<MemberProfile[]>;
  /** Stakeholder-update channels and the durable delivery queue (server/updates/). */
  readonly deliveries: DeliveryQueue;
  /** Shared call recordings and their transcripts (server/recordings/). */
  readonly recordings: RecordingStore;
  /** The team's settings: its update cadence, its SLO (server/team-settings/). */
  readonly teamSettings: TeamSettingsStore;
  /** The update cadence over teamSettings, in the shape it shipped with. */
  readonly cadence: CadenceStore;
  close(): Promise<void>;
}
