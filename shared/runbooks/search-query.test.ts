import { describe, expect, it } from 'vitest';
import { toFtsQuery } from './search-query.js';

describe('toFtsQuery', () => {
  it.each([
    ['dns failover', '"dns" "failover"'],
    ['"read replica"', '"read replica"'],
    ['postg*', '"postg"*'],
    ['"read repl"*', '"read repl"*'],
    ['cert-manager', '"cert-manager"'],
    ['a AND b', '"a" "AND" "b"'],
    ['say "hi', '"say" "hi"'],
    ['x"y', '"x" "y"'],
    ['NEAR(a b)', '"NEAR(a" "b)"'],
  ])('%s → %s', (input, fts) => expect(toFtsQuery(input)).toBe(fts));

  it('asks for a word when the input has none', () => {
    expect(() => toFtsQuery('  * - ')).toThrow(/type a word/);
  });

  it('refuses a query longer than the limit', () => {
    expect(() => toFtsQuery('a'.repeat(501))).toThrow(/at most 500/);
  });
});
