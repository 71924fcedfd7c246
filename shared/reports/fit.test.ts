import { describe, expect, it } from 'vitest';
import { LIMITS } from '../domain/limits.js';
import { capped, firstLine, fitsInEvent, fitToEvent, renderBlocks } from './fit.js';
import { clockNear, withUtc } from './when.js';

describe('fitting generated text in one event', () => {
  it.each([
    ['short text', 'hello', true],
    ['exactly the character limit', 'x'.repeat(LIMITS.textChars), true],
    ['one character over', 'x'.repeat(LIMITS.textChars + 1), false],
    ['under the characters, over the bytes once JSON-escaped', '\u0001'.repeat(45_000), false],
    ['four-byte characters at the character limit', '🔥'.repeat(LIMITS.textChars / 2), true],
  ])('%s fits: %s', (_name, text, fits) => {
    expect(fitsInEvent(text)).toBe(fits);
  });

  it.each([
    [['- a', '- b', '- c'], 5, ['- a', '- b', '- c']],
    [['- a', '- b', '- c'], 3, ['- a', '- b', '- c']],
    [['- a', '- b', '- c'], 1, ['- a', '- …and 2 more']],
    [['- a', '- b', '- c'], 0, ['- …and 3 more']],
  ])('caps %j at %d', (items, cap, out) => {
    expect(capped(items, cap)).toEqual(out);
  });

  it.each([
    ['one line', 10, 'one line'],
    ['first\nsecond', 10, 'first'],
    ['a long line of text', 10, 'a long li…'],
  ])('the first line of %j within %d characters is %j', (text, max, line) => {
    expect(firstLine(text, max)).toBe(line);
  });

  it('renders sections with their lists capped, or their "none" line', () => {
    const blocks = [['# Title', ''], { title: 'Items', items: ['- a', '- b'], none: 'none' }, { title: 'Empty', items: [], none: 'nothing' }];
    expect(renderBlocks(blocks, 1)).toBe('# Title\n\n## Items\n- a\n- …and 1 more\n\n## Empty\n- nothing\n\n');
  });

  it('renders with smaller caps until the text fits, and cuts as a last resort', () => {
    const caps: number[] = [];
    const text = fitToEvent((cap) => {
      caps.push(cap);
      return renderBlocks([{ title: 'Many', items: Array.from({ length: 1000 }, (_, i) => `- ${i} ${'z'.repeat(100)}`), none: '' }], cap);
    });
    expect(caps).toEqual([Infinity, 200]);
    expect(text).toContain('- …and 800 more');
    const cut = fitToEvent(() => 'w'.repeat(LIMITS.textChars * 2));
    expect(fitsInEvent(cut)).toBe(true);
    expect(cut.endsWith('\n…(cut to fit)')).toBe(true);
  });
});

describe('times for readers elsewhere', () => {
  it.each([
    ['2026-03-08T09:30:00Z', 'America/Los_Angeles', '2026-03-08 01:30 PST (2026-03-08 09:30 UTC)'],
    ['2026-03-08T10:30:00Z', 'America/Los_Angeles', '2026-03-08 03:30 PDT (2026-03-08 10:30 UTC)'],
    ['2026-01-15T18:20:00Z', 'Asia/Kathmandu', '2026-01-16 00:05 GMT+5:45 (2026-01-15 18:20 UTC)'],
    ['2026-01-15T18:20:00Z', 'UTC', '2026-01-15 18:20 UTC'],
  ])('%s in %s reads %s', (iso, zone, text) => {
    expect(withUtc(iso, zone)).toBe(text);
  });

  it.each([
    ['2026-01-15T18:00:00Z', '2026-01-15T18:20:00Z', 'Asia/Kolkata', '23:30 GMT+5:30'],
    ['2026-01-15T18:40:00Z', '2026-01-15T18:20:00Z', 'Asia/Kolkata', '2026-01-16 00:10 GMT+5:30'],
    ['2026-01-15T18:40:00Z', '2026-01-15T18:20:00Z', 'UTC', '18:40 UTC'],
  ])('%s near %s in %s reads %s: the date only on another local day', (iso, anchor, zone, text) => {
    expect(clockNear(iso, anchor, zone)).toBe(text);
  });
});
