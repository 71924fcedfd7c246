import { describe, expect, it } from 'vitest';
import { entryName } from './entry-name.js';

describe('entryName', () => {
  it('is the first line without Markdown marks, cut to fit a button name', () => {
    expect(entryName('**roll back** 4.2.1\nthen watch', false)).toBe('roll back 4.2.1');
    expect(entryName('x'.repeat(60), false)).toBe(`${'x'.repeat(47)}…`);
  });

  it('never names a redacted entry by its words', () => {
    expect(entryName('', true)).toBe('a redacted entry');
    expect(entryName('still here locally', true)).toBe('a redacted entry');
  });
});
