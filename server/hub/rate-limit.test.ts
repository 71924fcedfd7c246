import { describe, expect, it } from 'vitest';
import { PushLimiter, resolvePushLimits, TokenBucket, type LimitKind, type Pusher, type PushLimits } from './rate-limit.js';

/* The hub's push budgets on a clock the tests move by hand. */

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
