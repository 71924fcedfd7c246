import { describe, expect, it } from 'vitest';
import { attendeesOf, parseLength, parseTzPair } from './call-plan.js';

describe('conn call plan: reading its options', () => {
  const lengths: Array<[string, number | null]> = [['30m', 30], ['1h', 60], ['1h30m', 90], ['45', 45], ['2m', null], ['9h', null], ['soon', null], ['', null]];
  for (const [input, want] of lengths) {
    it(`--length ${JSON.stringify(input)} → ${want ?? 'refused'}`, () => {
      if (want === null) expect(() => parseLength(input)).toThrow(/--length is 5m to 8h/);
      else expect(parseLength(input)).toBe(want);
    });
  }

  it('reads NAME=ZONE with working hours 09:00-17:00, or the hours given', () => {
    expect(parseTzPair('bo=Asia/Tokyo')).toEqual({ name: 'bo', timeZone: 'Asia/Tokyo', workingHours: '09:00-17:00' });
    expect(parseTzPair('cy=America/Los_Angeles@07:00-15:00')).toEqual({ name: 'cy', timeZone: 'America/Los_Angeles', workingHours: '07:00-15:00' });
    expect(() => parseTzPair('bo')).toThrow(/--tz takes NAME=ZONE/);
    expect(() => parseTzPair('bo=Mars/Olympus')).toThrow(/not an IANA time zone/);
  });

  it('places each name by a --tz pair first, then a known profile, and refuses anyone it cannot place', () => {
    const known = [{ name: 'Ana', timeZone: 'Europe/Berlin', workingHours: '08:00-16:00' }];
    expect(attendeesOf(['ana', 'Bo'], known, [parseTzPair('bo=Asia/Tokyo')])).toEqual([
      { name: 'Ana', timeZone: 'Europe/Berlin', workingHours: '08:00-16:00' },
      { name: 'bo', timeZone: 'Asia/Tokyo', workingHours: '09:00-17:00' },
    ]);
    expect(() => attendeesOf(['ana', 'Cy', 'Dev'], known, [])).toThrow('this cockpit does not know where Cy, Dev are: add --tz Cy=ZONE (like --tz Cy=Asia/Tokyo)');
  });
});
