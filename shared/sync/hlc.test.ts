import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClockDriftError, formatHlc, HlcSchema, parseHlc, receive, tick, type HlcState } from './hlc.js';

describe('hybrid logical clock', () => {
  it('orders stamps as strings exactly as it orders them as numbers', () => {
    fc.assert(
      fc.property(fc.nat({ max: 9_999_999_999_999 }), fc.nat({ max: 99_999 }), fc.nat({ max: 9_999_999_999_999 }), fc.nat({ max: 99_999 }), (w1, c1, w2, c2) => {
        const a = formatHlc({ wall: w1, counter: c1 });
        const b = formatHlc({ wall: w2, counter: c2 });
        const numeric = w1 === w2 ? Math.sign(c1 - c2) : Math.sign(w1 - w2);
        expect(Math.sign(a.localeCompare(b, 'en'))).toBe(numeric);
        expect(parseHlc(a)).toEqual({ wall: w1, counter: c1 });
        expect(HlcSchema.safeParse(a).success).toBe(true);
      }),
    );
  });

  it('never goes backwards when the wall clock does (NTP step, laptop resume)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1_700_000_000_000, max: 1_800_000_000_000 }), { minLength: 1, maxLength: 50 }), (walls) => {
        let s: HlcState = { wall: 0, counter: 0 };
        let prev = formatHlc(s);
        for (const now of walls) {
          s = tick(s, now);
          const stamp = formatHlc(s);
          expect(stamp > prev).toBe(true);
          prev = stamp;
        }
      }),
    );
  });

  it('stamps a local event after any remote event it has seen', () => {
    const now = 1_800_000_000_000;
    const local = { wall: now - 5000, counter: 3 };
    const remote = { wall: now + 20_000, counter: 7 };
    const merged = receive(local, remote, now, 60_000);
    expect(formatHlc(tick(merged, now)) > formatHlc(remote)).toBe(true);
  });

  it('refuses a remote stamp further ahead than the allowed drift, and names the gap', () => {
    const now = 1_800_000_000_000;
    expect(() => receive({ wall: now, counter: 0 }, { wall: now + 10 * 60_000, counter: 0 }, now, 60_000)).toThrow(ClockDriftError);
    expect(() => receive({ wall: now, counter: 0 }, { wall: now + 10 * 60_000, counter: 0 }, now, 60_000)).toThrow(/600s ahead/);
  });

  it.each(['', '123', '1732780000000-1', 'abcdefghijklm-00000', '1732780000000-00000x'])('rejects the malformed stamp %j', (s) => {
    expect(HlcSchema.safeParse(s).success).toBe(false);
  });
});
