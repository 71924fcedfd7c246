import { describe, expect, it } from 'vitest';
import type { LimitKind } from './rate-limit.js';
import { addressKey, AuthThrottle, clientAddress, type AuthLimits } from './sign-in-throttle.js';

/* Failed sign-ins on a clock the tests move by hand. */

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
