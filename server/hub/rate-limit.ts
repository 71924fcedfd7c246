import { ConnError } from '../../shared/domain/errors.js';
import { describeWait } from '../../shared/sync/wait.js';

/*
 * How fast the hub lets each member push, so one cockpit (buggy, compromised or simply huge) can
 * neither flood its teammates nor the hub: events per second per member and per team, and bytes
 * per rolling day per team, as token buckets on an injected clock (no timers: tests drive time,
 * and nothing here keeps a process alive). Failed sign-ins are throttled the same way, in
 * sign-in-throttle.ts.
 *
 * A push is admitted whole or refused whole: it fits every bucket and is charged to all of them,
 * or it is charged nothing and told how long to wait. Splitting a push would drop events from the
 * middle of an outbox, which the client's in-order drain must never see.
 *
 * State lives in this process: with several hub nodes behind a load balancer each node keeps its
 * own budgets, so a team's effective limit is the per-node limit times the nodes it reaches.
 */

const MiB = 1024 * 1024;
const DAY_MS = 24 * 60 * 60 * 1000;
/** How often idle entries are forgotten, and how many entries one table keeps at most. */
export const PRUNE_EVERY_MS = 60_000;
export const MAX_ENTRIES = 100_000;
/** Float rounding must not turn "exactly enough" into "1 ms short". */
export const EPSILON = 1e-9;

/**
 * A token bucket: holds at most `capacity` tokens and refills `perSecond` of them continuously.
 * A cost above the capacity is let through when the bucket is full and runs it into debt, so
 * every request fits eventually (a push page bigger than the burst is paced, not refused forever)
 * and the long-run rate still holds.
 */
export class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    readonly perSecond: number,
    readonly capacity: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.at = now;
  }

  private refill(now: number): void {
    // A clock stepped backwards refills nothing and restarts from the new time, never double-credits.
    if (now > this.at) this.tokens = Math.min(this.capacity, this.tokens + ((now - this.at) * this.perSecond) / 1000);
    this.at = now;
  }

  /** Tokens in the bucket now (negative while in debt). */
  level(now: number): number {
    this.refill(now);
    return this.tokens;
  }

  /** Milliseconds until `cost` fits; 0 when it fits now. */
  waitMs(cost: number, now: number): number {
    const need = Math.min(cost, this.capacity);
    const short = need - this.level(now);
    return short <= EPSILON ? 0 : Math.ceil((short * 1000) / this.perSecond);
  }

  take(cost: number, now: number): void {
    this.refill(now);
    this.tokens -= cost;
  }

  /** Full again: indistinguishable from a new bucket, so it can be forgotten. */
  idle(now: number): boolean {
    return this.level(now) >= this.capacity - EPSILON;
  }
}

/** Which budget refused: the label of conn_hub_rate_limited_total. */
export type LimitKind = 'member' | 'team' | 'team-bytes' | 'auth-address' | 'auth-connection';

/** A refusal: nothing was done; the same request fits after `retryAfterMs`. */
export interface RateRefusal {
  kind: LimitKind;
  retryAfterMs: number;
  message: string;
}

/**
 * Push budgets of one hub node. A rate of 0 turns that limit off. The defaults let a member
 * push one full page (500 events) at once and then 50 events a second, so a week of offline
 * work (a few thousand events) drains in a minute or two, while a flood is slowed to a pace the
 * team's cockpits absorb; a team gets five such pages at once and 250 events a second; and
 * 200 MiB a day is about a thousand times a busy team's real traffic.
 */
export interface PushLimits {
  /** Events per second each member may push, on average. */
  memberEventsPerSecond: number;
  /** Events a member may push at once after a quiet spell. */
  memberBurst: number;
  /** Events per second all members of one team may push together, on average. */
  teamEventsPerSecond: number;
  teamBurst: number;
  /** Bytes of serialised events a team may push per rolling day (refilled continuously). */
  teamBytesPerDay: number;
}

export const DEFAULT_PUSH_LIMITS: PushLimits = {
  memberEventsPerSecond: 50,
  memberBurst: 500,
  teamEventsPerSecond: 250,
  teamBurst: 2500,
  teamBytesPerDay: 200 * MiB,
};

/** Defaults filled in and every number checked; throws 'invalid-input' naming the bad field. */
export function resolvePushLimits(given: Partial<PushLimits> = {}): PushLimits {
  const limits = { ...DEFAULT_PUSH_LIMITS, ...given };
  for (const [field, value] of Object.entries(limits)) {
    if (!Number.isFinite(value) || value < 0) throw new ConnError('invalid-input', `push limit ${field} is ${value}; use a number of 0 or more (0 turns a rate off)`);
  }
  if (limits.memberBurst < 1 || limits.teamBurst < 1) throw new ConnError('invalid-input', 'a burst must let at least one event through; use 1 or more');
  return limits;
}

/** Who pushes: the fields of the hub's Member this needs. */
export interface Pusher {
  id: string;
  name: string;
  teamId: string;
  team: string;
}

function formatBytes(n: number): string {
  if (n >= 1024 * MiB) return `${+(n / (1024 * MiB)).toFixed(1)} GiB`;
  if (n >= MiB) return `${+(n / MiB).toFixed(1)} MiB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

/** Buckets by key, created full on first use and forgotten once full again. */
class BucketTable {
  private readonly buckets = new Map<string, TokenBucket>();
  private prunedAt: number;

  constructor(
    private readonly perSecond: number,
    private readonly capacity: number,
    now: number,
  ) {
    this.prunedAt = now;
  }

  get(key: string, now: number): TokenBucket {
    if (now - this.prunedAt >= PRUNE_EVERY_MS) this.prune(now);
    let b = this.buckets.get(key);
    if (!b) {
      b = new TokenBucket(this.perSecond, this.capacity, now);
      this.buckets.set(key, b);
    }
    return b;
  }

  get size(): number {
    return this.buckets.size;
  }

  private prune(now: number): void {
    this.prunedAt = now;
    for (const [key, b] of this.buckets) if (b.idle(now)) this.buckets.delete(key);
    // Past the cap, forget the oldest: that only ever gives someone a fresh (full) budget.
    for (const key of this.buckets.keys()) {
      if (this.buckets.size <= MAX_ENTRIES) break;
      this.buckets.delete(key);
    }
  }
}

export class PushLimiter {
  readonly limits: PushLimits;
  private readonly members: BucketTable;
  private readonly teams: BucketTable;
  private readonly teamBytes: BucketTable;

  constructor(
    limits: Partial<PushLimits> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.limits = resolvePushLimits(limits);
    const l = this.limits;
    const t = now();
    this.members = new BucketTable(l.memberEventsPerSecond, l.memberBurst, t);
    this.teams = new BucketTable(l.teamEventsPerSecond, l.teamBurst, t);
    this.teamBytes = new BucketTable(l.teamBytesPerDay / (DAY_MS / 1000), l.teamBytesPerDay, t);
  }

  /**
   * Charges a push of `events` to its member's and team's budgets and returns null, or charges
   * nothing and says how long to wait. Every event counts, whatever the hub later makes of it
   * (a duplicate, a rejection): it was sent and would be looked at.
   */
  admit(who: Pusher, events: readonly unknown[]): RateRefusal | null {
    const now = this.now();
    const l = this.limits;
    const charges: Array<{ kind: LimitKind; bucket: TokenBucket; cost: number }> = [];
    if (l.memberEventsPerSecond > 0) charges.push({ kind: 'member', bucket: this.members.get(who.id, now), cost: events.length });
    if (l.teamEventsPerSecond > 0) charges.push({ kind: 'team', bucket: this.teams.get(who.teamId, now), cost: events.length });
    if (l.teamBytesPerDay > 0) charges.push({ kind: 'team-bytes', bucket: this.teamBytes.get(who.teamId, now), cost: Buffer.byteLength(JSON.stringify(events)) });
    let worst: { kind: LimitKind; wait: number } | null = null;
    for (const c of charges) {
      const wait = c.bucket.waitMs(c.cost, now);
      if (wait > 0 && (!worst || wait > worst.wait)) worst = { kind: c.kind, wait };
    }
    if (worst) return { kind: worst.kind, retryAfterMs: worst.wait, message: this.explain(worst.kind, who, worst.wait) };
    for (const c of charges) c.bucket.take(c.cost, now);
    return null;
  }

  private explain(kind: LimitKind, who: Pusher, wait: number): string {
    const l = this.limits;
    const after = `nothing of this push was written, and Conn sends it again in ${describeWait(wait)} by itself`;
    if (kind === 'member') {
      return `${who.name} is pushing faster than this hub allows one member (${l.memberEventsPerSecond} events/s, bursts of ${l.memberBurst}): ${after} (a hub admin can raise --member-rate)`;
    }
    if (kind === 'team') {
      return `team "${who.team}" is pushing faster than this hub allows one team (${l.teamEventsPerSecond} events/s, bursts of ${l.teamBurst}): ${after} (a hub admin can raise --team-rate)`;
    }
    return `team "${who.team}" has pushed its ${formatBytes(l.teamBytesPerDay)} for the day to this hub: ${after} (a hub admin can raise --team-bytes-per-day)`;
  }
}
