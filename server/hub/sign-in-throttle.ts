import { ConnError } from '../../shared/domain/errors.js';
import { describeWait } from '../../shared/sync/wait.js';
import { EPSILON, MAX_ENTRIES, PRUNE_EVERY_MS, TokenBucket, type LimitKind, type RateRefusal } from './rate-limit.js';

/*
 * Failed sign-ins per remote address and per transport connection. Past the threshold an attempt
 * is refused for a growing while without its token being looked at, so guessing costs the
 * guesser time and the hub nothing. Successful sign-ins are never counted. Token buckets on an
 * injected clock, like the push budgets in rate-limit.ts; state is per hub node.
 */

const MINUTE_MS = 60_000;

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
