import { describe, expect, it } from 'vitest';
import { slowDownDelay, slowDownMessage } from './slow-down.js';

describe('how long the client waits when the hub asks it to slow down', () => {
  it.each([
    { asked: 2000, cap: 60_000, random: 0, waits: 2000, why: 'never less than the hub asked' },
    { asked: 2000, cap: 60_000, random: 1, waits: 2500, why: 'up to a quarter more, so cockpits spread out' },
    { asked: 100, cap: 60_000, random: 1, waits: 200, why: 'at least 100 ms of spread for short waits' },
    { asked: 40_000, cap: 60_000, random: 1, waits: 45_000, why: 'at most 5 s of spread' },
    { asked: 4 * 3_600_000, cap: 60_000, random: 0.5, waits: 60_000, why: 'a long wait is capped: the hub is simply asked again' },
    { asked: undefined, cap: 60_000, random: 0, waits: 1000, why: 'a hub that gave no wait gets a pause of a second' },
  ])('$why', ({ asked, cap, random, waits }) => {
    expect(slowDownDelay(asked, cap, () => random)).toBe(waits);
  });

  it("says so with the wait and the hub's reason", () => {
    expect(slowDownMessage(1800, 'Ana is pushing too fast')).toBe('the hub asked us to slow down; retrying in 2s: Ana is pushing too fast');
  });
});
