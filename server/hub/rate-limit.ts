import { ConnError } from '../../shared/domain/errors.js';
import { describeWait } from '../../shared/sync/wait.js';

/*
 * How fast the hub lets each member in, so one cockpit (buggy, compromised or simply huge) can
 * neither flood its teammates nor the hub. Two guards, both token buckets on an injected clock
 * (no timers: tests drive time, and nothing here keeps a process alive):
 *
 * - PushLimiter: events per second per member and per team, and bytes per rolling day per team.
 *   A push is admitted whole or refused whole: it fits every bucket and is charged to all of
 *   them, or it is charged nothing and told how long to wait. Splitting a push would drop events
 *   from the middle of an outbox, which the client's in-order drain must never see.
 * - AuthThrottle: failed sign-ins per remote address and per connection. Past the threshold an
 *   attempt is refused for a growing while without its token being looked at, so guessing costs
 *   the guesser time and the hub nothing. Successful sign-ins are never counted.
 *
 * State lives in this process: with several hub nodes behind a load balancer each node keeps its
 * own budgets, so a team's effective limit is the per-node limit times the nodes it reaches.
 */

const MiB = 1024 * 1024;
const DAY_MS = 24 * 60 * 60 * 1000;
const MINUTE_MS = 60_000;
/** How often idle entries are forgotten, and how many entries one guard keeps at most. */
const PRUNE_EVERY_MS = MINUTE_MS;
const MAX_ENTRIES = 100_000;
/** Float rounding must not turn "exactly enough" into "1 ms short". */
const EPSILON = 1e-9;

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

/** No push limits at all: benchmarks and tests about something else. */
export const NO_PUSH_LIMITS: PushLimits = { memberEventsPerSecond: 0, memberBurst: 1, teamEventsPerSecond: 0, teamBurst: 1, teamBytesPerDay: 0 };

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

/**
 * Failed sign-ins allowed per `windowMs` (one address, one connection) before attempts are
 * refused unchecked; the allowance refills evenly over the window. The first refusal lasts
 * `blockMs` (or until one failure is allowed again, if that is later), each later one twice the
 * one before, up to `maxBlockMs`; an address or connection is forgiven after `maxBlockMs`
 * without a failure. 0 failures turns that guard off.
 */
export interface AuthLimits {
  addressFailures: number;
  connectionFailures: number;
  windowMs: number;
  blockMs: number;
  maxBlockMs: number;
}

export const DEFAULT_AUTH_LIMITS: AuthLimits = {
  addressFailures: 10,
  connectionFailures: 3,
  windowMs: MINUTE_MS,
  blockMs: 30_000,
  maxBlockMs: 15 * MINUTE_MS,
};

interface GateEntry {
  failures: TokenBucket;
  /** Attempts whose token is being checked now: counted as failures until they succeed. */
  pending: number;
  blockedUntil: number;
  strikes: number;
  lastFailureAt: number;
}

/** Failed attempts per key (an address or a connection), with the growing block. */
class FailureGate {
  private readonly entries = new Map<string, GateEntry>();
  private prunedAt: number;

  constructor(
    private readonly allowed: number,
    private readonly limits: AuthLimits,
    now: number,
  ) {
    this.prunedAt = now;
  }

  get size(): number {
    return this.entries.size;
  }

  /** 0 when an attempt may go ahead (and is then pending), else how long to wait. */
  enter(key: string, now: number): number {
    if (this.allowed <= 0) return 0;
    if (now - this.prunedAt >= PRUNE_EVERY_MS) this.prune(now);
    let e = this.entries.get(key);
    if (!e) {
      e = { failures: new TokenBucket((this.allowed * 1000) / this.limits.windowMs, this.allowed, now), pending: 0, blockedUntil: 0, strikes: 0, lastFailureAt: now };
      this.entries.set(key, e);
    }
    if (e.blockedUntil > now) return e.blockedUntil - now;
    // Attempts still being checked count as failures, so a thousand guesses sent at once (while
    // the store answers the first) cannot all slip in under the threshold.
    const spare = e.failures.level(now) - e.pending;
    if (spare < 1) return Math.max(1, Math.ceil(((1 - spare) * this.limits.windowMs) / this.allowed));
    e.pending += 1;
    return 0;
  }

  leave(key: string, failed: boolean, now: number): void {
    const e = this.entries.get(key);
    if (!e || this.allowed <= 0) return;
    e.pending = Math.max(0, e.pending - 1);
    if (!failed) return;
    e.failures.take(1, now);
    e.lastFailureAt = now;
    if (e.failures.level(now) < 1 - EPSILON) {
      e.blockedUntil = now + Math.min(this.limits.maxBlockMs, this.limits.blockMs * 2 ** e.strikes);
      e.strikes += 1;
    }
  }

  private prune(now: number): void {
    this.prunedAt = now;
    for (const [key, e] of this.entries) {
      if (e.pending === 0 && e.blockedUntil <= now && now - e.lastFailureAt >= this.limits.maxBlockMs && e.failures.idle(now)) this.entries.delete(key);
    }
    for (const key of this.entries.keys()) {
      if (this.entries.size <= MAX_ENTRIES) break;
      this.entries.delete(key);
    }
  }
}

/** One sign-in attempt let through: report how it ended, exactly once. */
export interface AuthAttempt {
  succeeded(): void;
  failed(): void;
  /** The hub could not check the token (store down): nobody's fault, nothing counted. */
  abandoned(): void;
}

/**
 * The "address" one client is counted under. IPv4 and IPv4-mapped IPv6 are the same address; an
 * IPv6 address counts as its /64, since one host usually holds a whole /64 and could otherwise
 * take ten fresh guesses from each of its 2^64 addresses.
 */
export function addressKey(address: string): string {
  const a = address.trim().toLowerCase().replace(/%.*$/, '');
  if (a.startsWith('::ffff:') && a.includes('.')) return a.slice(7);
  if (!a.includes(':')) return a;
  const [head = '', tail] = a.split('::', 2);
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...new Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/**
 * The address sign-in limits count against. Behind a reverse proxy every connection comes from
 * the proxy, so one guesser would get the whole team refused; with `trustProxy` the client is
 * the last X-Forwarded-For entry, the one our proxy appended (earlier entries are whatever the
 * client claimed). Only for a hub that is reachable through that proxy alone: otherwise anyone
 * can name any address.
 */
export function clientAddress(direct: string, forwardedFor: string | string[] | undefined, trustProxy: boolean): string {
  if (!trustProxy || forwardedFor === undefined) return direct;
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor;
  const last = header.split(',').pop()?.trim();
  return last || direct;
}

export class AuthThrottle {
  readonly limits: AuthLimits;
  private readonly byAddress: FailureGate;
  private readonly byConnection: FailureGate;
  /** Names for transport connections, which have no public id; gone with the connection. */
  private readonly connectionIds = new WeakMap<object, string>();
  private connections = 0;

  constructor(
    limits: Partial<AuthLimits> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.limits = { ...DEFAULT_AUTH_LIMITS, ...limits };
    for (const [field, value] of Object.entries(this.limits)) {
      if (!Number.isFinite(value) || value < 0) throw new ConnError('invalid-input', `auth limit ${field} is ${value}; use a number of 0 or more`);
    }
    if (this.limits.windowMs <= 0) throw new ConnError('invalid-input', 'auth limit windowMs must be more than 0');
    const t = now();
    this.byAddress = new FailureGate(this.limits.addressFailures, this.limits, t);
    this.byConnection = new FailureGate(this.limits.connectionFailures, this.limits, t);
  }

  /** Addresses and connections currently remembered (for tests of the memory bound). */
  get tracked(): number {
    return this.byAddress.size + this.byConnection.size;
  }

  /**
   * Lets a sign-in attempt from `address` over `connection` (the transport connection, which a
   * client may reuse for attempt after attempt) go ahead, or refuses it without a token check.
   */
  begin(address: string, connection: object): { refused: RateRefusal } | { attempt: AuthAttempt } {
    const now = this.now();
    const addr = `a:${addressKey(address)}`;
    let conn = this.connectionIds.get(connection);
    if (!conn) {
      conn = `c:${(this.connections += 1)}`;
      this.connectionIds.set(connection, conn);
    }
    const connKey = conn;
    const addrWait = this.byAddress.enter(addr, now);
    if (addrWait > 0) return { refused: this.refusal('auth-address', addrWait, `from ${addressKey(address)}`) };
    const connWait = this.byConnection.enter(connKey, now);
    if (connWait > 0) {
      this.byAddress.leave(addr, false, now);
      return { refused: this.refusal('auth-connection', connWait, 'on this connection') };
    }
    let done = false;
    const end = (failed: boolean) => {
      if (done) return;
      done = true;
      const t = this.now();
      this.byAddress.leave(addr, failed, t);
      this.byConnection.leave(connKey, failed, t);
    };
    return { attempt: { succeeded: () => end(false), failed: () => end(true), abandoned: () => end(false) } };
  }

  private refusal(kind: LimitKind, wait: number, where: string): RateRefusal {
    return {
      kind,
      retryAfterMs: wait,
      message: `too many failed sign-ins ${where}: the hub refuses sign-ins ${where} for ${describeWait(wait)} without checking their tokens; check that the token is the one \`conn hub invite\` printed (\`conn connect HUB_URL --token TOKEN\`), Conn retries by itself`,
    };
  }
}
