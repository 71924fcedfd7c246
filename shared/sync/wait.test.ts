import { describe, expect, it } from 'vitest';
import { describeWait } from './wait.js';

describe('a wait as people say it', () => {
  it.each([
    [0, '1s'],
    [1, '1s'],
    [1000, '1s'],
    [1001, '2s'],
    [89_000, '89s'],
    [90_000, '2 min'],
    [45 * 60_000, '45 min'],
    [90 * 60_000, '2 h'],
    [47 * 3_600_000, '47 h'],
    [72 * 3_600_000, '3 days'],
  ])('%i ms is "%s"', (ms, said) => {
    expect(describeWait(ms)).toBe(said);
  });
});
