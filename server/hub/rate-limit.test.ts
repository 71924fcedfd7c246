import { describe, expect, it } from 'vitest';
import { addressKey, AuthThrottle, clientAddress, PushLimiter, resolvePushLimits, TokenBucket, type AuthLimits, type LimitKind, type Pusher, type PushLimits } from './rate-limit.js';

/* The hub's budgets on a clock the tests move by hand. */

const ana: Pusher = { id: 'm-ana', name: 'Ana', teamId: 't-pay', team: 'payments' };
const ben: Pusher = { id: 'm-ben', name: 'Ben', teamId: 't-pay', team: 'payments' };
const cy: Pusher = { id: 'm-cy', name: 'Cy', teamId: 't-pay', team: 'payments' };
const sam: Pusher = { id: 'm-sam', name: 'Sam', teamId: 't-search', team: 'search' };

/** n small events; each serialises to about the same number of bytes. */
const events = (n: number, text = 'x') => Array.from({ length: n }, (_, i) => ({ id: `e${i}`, text }));

describe('a token bucket', () => {
  it('lets its capacity through at once, then one token per 1/rate seconds', () => {
    const b = new TokenBucket(10, 20, 0);
    expect(b.waitMs(20, 0)).toBe(0);
    b.take(20, 0);
    expect(b.waitMs(1, 0)).toBe(100);
    expect(b.waitMs(1, 100)).toBe(0);
    expect(b.waitMs(5, 100)).toBe(400);
  });

  it('lets a cost above its capacity through when full, and then the debt paces what follows', () => {
    const b = new TokenBucket(10, 20, 0);
    expect(b.waitMs(50, 0)).toBe(0);
    b.take(50, 0);
    expect(b.level(0)).toBe(-30);
    expect(b.waitMs(1, 0)).toBe(3100);
  });

  it('credits nothing when the clock steps backwards, and does not pause either', () => {
    const b = new TokenBucket(10, 20, 10_000);
    b.take(20, 10_000);
    expect(b.level(5_000)).toBe(0);
    expect(b.level(5_100)).toBeCloseTo(1);
  });
});

type Push = { who: Pusher; n: number; at: number; text?: string };
type Outcome = 'ok' | { kind: LimitKind; retryAfterMs: number };

const pushCases: Array<{ name: string; limits: Partial<PushLimits>; pushes: Array<[Push, Outcome]> }> = [
  {
    name: 'a member pushes one burst at once, then is paced at its rate',
    limits: { memberEventsPerSecond: 10, memberBurst: 20 },
    pushes: [
      [{ who: ana, n: 20, at: 0 }, 'ok'],
      [{ who: ana, n: 1, at: 0 }, { kind: 'member', retryAfterMs: 100 }],
      [{ who: ana, n: 1, at: 100 }, 'ok'],
    ],
  },
  {
    name: 'a refused push is charged nothing: a smaller one that fits still goes through',
    limits: { memberEventsPerSecond: 10, memberBurst: 20 },
    pushes: [
      [{ who: ana, n: 15, at: 0 }, 'ok'],
      [{ who: ana, n: 10, at: 0 }, { kind: 'member', retryAfterMs: 500 }],
      [{ who: ana, n: 5, at: 0 }, 'ok'],
      [{ who: ana, n: 1, at: 0 }, { kind: 'member', retryAfterMs: 100 }],
    ],
  },
  {
    name: 'a push bigger than the burst waits for a full bucket, then paces what follows',
    limits: { memberEventsPerSecond: 10, memberBurst: 20 },
    pushes: [
      [{ who: ana, n: 5, at: 0 }, 'ok'],
      [{ who: ana, n: 50, at: 0 }, { kind: 'member', retryAfterMs: 500 }],
      [{ who: ana, n: 50, at: 500 }, 'ok'],
      [{ who: ana, n: 1, at: 500 }, { kind: 'member', retryAfterMs: 3100 }],
    ],
  },
  {
    name: "members of a team each have their own rate but share the team's",
    limits: { memberEventsPerSecond: 10, memberBurst: 20, teamEventsPerSecond: 10, teamBurst: 30 },
    pushes: [
      [{ who: ana, n: 20, at: 0 }, 'ok'],
      [{ who: ana, n: 1, at: 0 }, { kind: 'member', retryAfterMs: 100 }],
      [{ who: ben, n: 10, at: 0 }, 'ok'],
      [{ who: cy, n: 1, at: 0 }, { kind: 'team', retryAfterMs: 100 }],
      [{ who: sam, n: 20, at: 0 }, 'ok'],
    ],
  },
  {
    name: 'the longest wait is the one reported',
    limits: { memberEventsPerSecond: 10, memberBurst: 20, teamEventsPerSecond: 1, teamBurst: 20 },
    pushes: [
      [{ who: ana, n: 20, at: 0 }, 'ok'],
      [{ who: ana, n: 2, at: 0 }, { kind: 'team', retryAfterMs: 2000 }],
      [{ who: ben, n: 2, at: 0 }, { kind: 'team', retryAfterMs: 2000 }],
    ],
  },
  {
    name: "a team's bytes per day refill over the day",
    // Each push of 10 events of 80 characters is 1,021 bytes; the day allows 10,800 (one per 8 s).
    limits: { memberEventsPerSecond: 0, teamEventsPerSecond: 0, teamBytesPerDay: 10_800 },
    pushes: [
      ...Array.from({ length: 10 }, (): [Push, Outcome] => [{ who: ana, n: 10, at: 0, text: 'y'.repeat(80) }, 'ok']),
      [{ who: ben, n: 10, at: 0, text: 'y'.repeat(80) }, { kind: 'team-bytes', retryAfterMs: (1021 - (10_800 - 10 * 1021)) * 8000 }],
      [{ who: sam, n: 10, at: 0, text: 'y'.repeat(80) }, 'ok'],
    ],
  },
  {
    name: 'a rate of 0 turns that limit off',
    limits: { memberEventsPerSecond: 0, teamEventsPerSecond: 0, teamBytesPerDay: 0 },
    pushes: Array.from({ length: 20 }, (): [Push, Outcome] => [{ who: ana, n: 500, at: 0 }, 'ok']),
  },
];

describe('push budgets', () => {
  it.each(pushCases)('$name', ({ limits, pushes }) => {
    let t = 0;
    const limiter = new PushLimiter(limits, () => t);
    pushes.forEach(([p, expected], i) => {
      t = p.at;
      const got = limiter.admit(p.who, events(p.n, p.text));
      expect(got === null ? 'ok' : { kind: got.kind, retryAfterMs: got.retryAfterMs }, `push ${i + 1}`).toEqual(expected);
    });
  });

  it('says who is too fast, that nothing was written, when Conn retries and which flag raises it', () => {
    const byRate = new PushLimiter({ memberEventsPerSecond: 50, memberBurst: 500 }, () => 0);
    byRate.admit(ana, events(500));
    expect(byRate.admit(ana, events(100))?.message).toBe(
      'Ana is pushing faster than this hub allows one member (50 events/s, bursts of 500): nothing of this push was written, and Conn sends it again in 2s by itself (a hub admin can raise --member-rate)',
    );
    const byBytes = new PushLimiter({ teamBytesPerDay: 100 * 1024 }, () => 0);
    byBytes.admit(ana, events(1000, 'z'.repeat(100)));
    expect(byBytes.admit(ben, events(100))?.message).toMatch(/^team "payments" has pushed its 100 KiB for the day to this hub: .* again in \d+ h by itself \(a hub admin can raise --team-bytes-per-day\)$/);
  });

  it('refuses limits that are not numbers of 0 or more, naming the field', () => {
    expect(() => resolvePushLimits({ memberEventsPerSecond: -1 })).toThrow(expect.objectContaining({ code: 'invalid-input', message: expect.stringContaining('memberEventsPerSecond') }));
    expect(() => resolvePushLimits({ teamBytesPerDay: Number.NaN })).toThrow(/teamBytesPerDay/);
    expect(() => resolvePushLimits({ memberBurst: 0 })).toThrow(/at least one event/);
    expect(resolvePushLimits()).toMatchObject({ memberEventsPerSecond: 50, memberBurst: 500, teamBytesPerDay: 200 * 1024 * 1024 });
  });
});

type Attempt = { from?: string; conn?: object; at: number; ends?: 'failed' | 'succeeded' | 'abandoned' | 'pending' };
type Verdict = 'checked' | { kind: LimitKind; retryAfterMs: number };

const connA = {};
const connB = {};
const fail = (n: number, at: number, from = '10.0.0.1', conn?: object): Array<[Attempt, Verdict]> =>
  Array.from({ length: n }, () => [{ from, conn: conn ?? {}, at, ends: 'failed' }, 'checked']);

const authLimits: Partial<AuthLimits> = { addressFailures: 10, connectionFailures: 3, windowMs: 60_000, blockMs: 30_000, maxBlockMs: 15 * 60_000 };
const authCases: Array<{ name: string; attempts: Array<[Attempt, Verdict]> }> = [
  {
    name: 'ten failures a minute from one address, then attempts are refused unchecked for 30 s',
    attempts: [...fail(10, 0), [{ at: 0 }, { kind: 'auth-address', retryAfterMs: 30_000 }], [{ at: 29_999 }, { kind: 'auth-address', retryAfterMs: 1 }], [{ at: 30_000 }, 'checked']],
  },
  {
    name: 'an address that keeps failing is refused twice as long each time, up to the cap',
    attempts: [
      ...fail(10, 0),
      ...fail(5, 30_000),
      [{ at: 30_000 }, { kind: 'auth-address', retryAfterMs: 60_000 }],
      ...fail(10, 90_000),
      [{ at: 90_000 }, { kind: 'auth-address', retryAfterMs: 120_000 }],
      ...fail(10, 210_000),
      ...fail(10, 450_000),
      ...fail(10, 930_000),
      [{ at: 930_000 }, { kind: 'auth-address', retryAfterMs: 15 * 60_000 }],
    ],
  },
  {
    name: 'an address quiet for the longest block is forgiven: its next refusal is short again',
    attempts: [...fail(10, 0), ...fail(10, 60_000), ...fail(10, 2_000_000), [{ at: 2_000_000 }, { kind: 'auth-address', retryAfterMs: 30_000 }]],
  },
  {
    name: 'successful sign-ins are never counted',
    attempts: [...fail(9, 0), ...Array.from({ length: 100 }, (): [Attempt, Verdict] => [{ at: 0, ends: 'succeeded' }, 'checked']), ...fail(1, 0), [{ at: 0 }, { kind: 'auth-address', retryAfterMs: 30_000 }]],
  },
  {
    name: 'attempts still being checked count until they succeed, so a burst cannot slip past the store',
    attempts: [
      ...Array.from({ length: 10 }, (): [Attempt, Verdict] => [{ at: 0, ends: 'pending' }, 'checked']),
      [{ at: 0 }, { kind: 'auth-address', retryAfterMs: 6000 }],
    ],
  },
  {
    name: 'an attempt the hub could not check (store down) is not held against anyone',
    attempts: [...Array.from({ length: 50 }, (): [Attempt, Verdict] => [{ at: 0, ends: 'abandoned' }, 'checked'])],
  },
  {
    name: 'one connection trying token after token is refused after three, while the address is still fine',
    attempts: [...fail(3, 0, '10.0.0.1', connA), [{ conn: connA, at: 0 }, { kind: 'auth-connection', retryAfterMs: 30_000 }], [{ conn: connB, at: 0 }, 'checked']],
  },
  {
    name: 'another address is not affected, and IPv4-mapped IPv6 is the same address',
    attempts: [...fail(10, 0, '::ffff:10.0.0.1'), [{ from: '10.0.0.1', at: 0 }, { kind: 'auth-address', retryAfterMs: 30_000 }], [{ from: '10.0.0.2', at: 0 }, 'checked']],
  },
];

describe('sign-in throttling', () => {
  it.each(authCases)('$name', ({ attempts }) => {
    let t = 0;
    const throttle = new AuthThrottle(authLimits, () => t);
    attempts.forEach(([a, expected], i) => {
      t = a.at;
      const got = throttle.begin(a.from ?? '10.0.0.1', a.conn ?? {});
      if ('refused' in got) {
        expect({ kind: got.refused.kind, retryAfterMs: got.refused.retryAfterMs }, `attempt ${i + 1}`).toEqual(expected);
        return;
      }
      expect('checked', `attempt ${i + 1}`).toEqual(expected);
      if (a.ends === 'failed') got.attempt.failed();
      else if (a.ends === 'succeeded') got.attempt.succeeded();
      else if (a.ends === 'abandoned') got.attempt.abandoned();
    });
  });

  it('tells the person what happened, for how long, and what to check', () => {
    const throttle = new AuthThrottle(authLimits, () => 0);
    for (let i = 0; i < 10; i++) {
      const a = throttle.begin('10.0.0.9', {});
      if ('attempt' in a) a.attempt.failed();
    }
    const r = throttle.begin('10.0.0.9', {});
    expect('refused' in r && r.refused.message).toBe(
      'too many failed sign-ins from 10.0.0.9: the hub refuses sign-ins from 10.0.0.9 for 30s without checking their tokens; check that the token is the one `conn hub invite` printed (`conn connect HUB_URL --token TOKEN`), Conn retries by itself',
    );
  });

  it('forgets addresses once they are forgiven, so guesses from many addresses do not grow memory for good', () => {
    let t = 0;
    const throttle = new AuthThrottle(authLimits, () => t);
    for (let i = 0; i < 2000; i++) {
      const a = throttle.begin(`10.1.${i >> 8}.${i & 255}`, {});
      if ('attempt' in a) a.attempt.failed();
    }
    expect(throttle.tracked).toBe(4000);
    t = 16 * 60_000;
    throttle.begin('10.2.0.1', {});
    expect(throttle.tracked).toBe(2);
  });
});

describe('the address sign-in limits count against', () => {
  it.each([
    { direct: '10.0.0.1', header: '203.0.113.7', trust: false, is: '10.0.0.1', why: 'the connection, unless the hub trusts a proxy' },
    { direct: '10.0.0.1', header: '203.0.113.7', trust: true, is: '203.0.113.7', why: "the proxy's X-Forwarded-For when trusted" },
    { direct: '10.0.0.1', header: '1.2.3.4, 203.0.113.7', trust: true, is: '203.0.113.7', why: 'the entry our proxy appended, not what the client claimed before it' },
    { direct: '10.0.0.1', header: ['1.2.3.4', '203.0.113.7'], trust: true, is: '203.0.113.7', why: 'the last of repeated headers' },
    { direct: '10.0.0.1', header: undefined, trust: true, is: '10.0.0.1', why: 'the connection when the proxy sent no header' },
    { direct: '10.0.0.1', header: ' , ', trust: true, is: '10.0.0.1', why: 'the connection when the header is empty' },
  ])('is $why', ({ direct, header, trust, is }) => {
    expect(clientAddress(direct, header, trust)).toBe(is);
  });
});

describe('the address a client is counted under', () => {
  it.each([
    ['10.0.0.1', '10.0.0.1'],
    ['::ffff:10.0.0.1', '10.0.0.1'],
    ['2001:db8:aa:bb:1:2:3:4', '2001:db8:aa:bb::/64'],
    ['2001:DB8:AA:BB:ffff:ffff:ffff:ffff', '2001:db8:aa:bb::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['2001:0db8:0000:0001::7', '2001:db8:0:1::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
  ])('%s counts as %s', (address, key) => {
    expect(addressKey(address)).toBe(key);
  });

  it('throttles a whole IPv6 /64 as one client', () => {
    const throttle = new AuthThrottle(authLimits, () => 0);
    for (let i = 0; i < 10; i++) {
      const a = throttle.begin(`2001:db8:aa:bb::${i + 1}`, {});
      if ('attempt' in a) a.attempt.failed();
    }
    const next = throttle.begin('2001:db8:aa:bb:ffff::9', {});
    expect('refused' in next && next.refused.message).toContain('from 2001:db8:aa:bb::/64');
    expect('attempt' in throttle.begin('2001:db8:aa:cc::1', {})).toBe(true);
  });
});
