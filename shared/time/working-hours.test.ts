import { describe, expect, it } from 'vitest';
import { isInsideWorkingHours, isWorkingAt, parseWorkingHours } from './working-hours.js';

const hour = 3600_000;
const slot = (startIso: string, minutes = 60) => [new Date(startIso), new Date(Date.parse(startIso) + minutes * 60_000)] as const;

describe('working hours as stretches of real time', () => {
  it.each([
    // [zone, hours, slot start (UTC), minutes, inside, why]
    ['America/Los_Angeles', '09:00-17:00', '2026-03-08T16:00:00Z', 60, true, 'the first PDT morning: 09:00 is 16:00 UTC, not 17:00'],
    ['America/Los_Angeles', '09:00-17:00', '2026-03-07T16:00:00Z', 60, false, 'the day before, still PST: 08:00'],
    ['America/Los_Angeles', '09:00-17:00', '2026-11-01T16:00:00Z', 60, false, 'the first PST morning: 08:00'],
    ['America/Los_Angeles', '09:00-17:00', '2026-11-01T17:00:00Z', 60, true, 'the first PST morning: 09:00'],
    ['America/Los_Angeles', '22:00-06:00', '2026-03-08T12:00:00Z', 60, true, 'a night shift 7 hours long: 05:00-06:00 PDT'],
    ['America/Los_Angeles', '22:00-06:00', '2026-03-08T12:30:00Z', 60, false, 'runs past 06:00 PDT'],
    ['America/Los_Angeles', '22:00-06:00', '2026-03-08T06:00:00Z', 60, true, '22:00-23:00 PST, before the change'],
    ['America/Los_Angeles', '22:00-06:00', '2026-11-01T13:00:00Z', 60, true, 'a night shift 9 hours long: 05:00-06:00 PST'],
    ['America/Los_Angeles', '01:00-03:00', '2026-11-01T09:00:00Z', 60, true, 'the repeated hour 01:00-02:00 is 3 hours of real time'],
    ['Europe/Berlin', '09:00-17:00', '2026-03-29T07:00:00Z', 60, true, 'the first CEST morning: 09:00 is 07:00 UTC'],
    ['Europe/Berlin', '09:00-17:00', '2026-03-29T14:30:00Z', 60, false, 'runs to 17:30 CEST'],
    ['Europe/Berlin', '22:00-06:00', '2026-03-28T22:30:00Z', 60, true, 'crosses midnight: 23:30-00:30 CET'],
    ['Europe/Berlin', '22:00-06:00', '2026-03-29T03:30:00Z', 60, false, 'runs to 06:30 CEST: the shift ended at 04:00 UTC'],
    ['Asia/Kolkata', '09:00-17:00', '2026-01-15T03:30:00Z', 60, true, 'UTC+5:30: 09:00'],
    ['Asia/Kolkata', '09:00-17:00', '2026-01-15T03:00:00Z', 60, false, 'UTC+5:30: 08:30'],
    ['Asia/Kathmandu', '09:00-17:00', '2026-01-15T03:15:00Z', 60, true, 'UTC+5:45: 09:00'],
    ['Asia/Kathmandu', '09:00-17:00', '2026-01-15T03:00:00Z', 60, false, 'UTC+5:45: 08:45'],
    ['Asia/Kathmandu', '09:00-17:00', '2026-01-15T10:15:00Z', 60, true, 'UTC+5:45: ends at 17:00 sharp'],
    ['Asia/Kathmandu', '09:00-17:00', '2026-01-15T10:30:00Z', 60, false, 'UTC+5:45: ends at 17:15'],
    ['Australia/Adelaide', '09:00-17:00', '2026-04-03T22:30:00Z', 60, true, 'ACDT (+10:30) before DST ends on 5 April'],
    ['Australia/Adelaide', '09:00-17:00', '2026-04-05T22:30:00Z', 60, false, 'ACST (+9:30) after: 08:00'],
    ['Australia/Adelaide', '09:00-17:00', '2026-04-05T23:30:00Z', 60, true, 'ACST (+9:30) after: 09:00'],
    ['Australia/Adelaide', '09:00-17:00', '2026-10-04T22:30:00Z', 60, true, 'ACDT again after 4 October: 09:00'],
    ['UTC', '09:00-17:00', '2026-01-15T16:30:00Z', 60, false, 'a day shift never wraps'],
    ['UTC', '09:00-09:00', '2026-01-15T09:00:00Z', 30, false, 'equal ends: no working hours'],
  ])('%s %s, %s for %d min: %s (%s)', (zone, hours, start, minutes, inside) => {
    const [from, to] = slot(start, minutes);
    expect(isInsideWorkingHours(hours, zone, from, to)).toBe(inside);
  });

  it('reads { start, end } as the profile reads "start-end"', () => {
    const [from, to] = slot('2026-03-08T12:00:00Z');
    expect(isInsideWorkingHours({ start: '22:00', end: '06:00' }, 'America/Los_Angeles', from, to)).toBe(true);
    expect(parseWorkingHours({ start: '22:00', end: '06:00' })).toEqual(parseWorkingHours('22:00-06:00'));
  });

  it.each([['9-5'], ['25:00-17:00'], ['09:00'], ['09:00-17:00-18:00'], [{ start: '9:00', end: '17:00' }]])('refuses the working hours %j', (hours) => {
    expect(() => parseWorkingHours(hours)).toThrow(RangeError);
  });

  it.each([
    ['2026-01-15T08:59:00Z', false],
    ['2026-01-15T09:00:00Z', true],
    ['2026-01-15T16:59:59Z', true],
    ['2026-01-15T17:00:00Z', false],
  ])('a single instant %s is inside 09:00-17:00 UTC: %s', (at, inside) => {
    expect(isWorkingAt('09:00-17:00', 'UTC', new Date(at))).toBe(inside);
  });

  it('never takes a slot longer than the shift as inside', () => {
    expect(isInsideWorkingHours('22:00-06:00', 'UTC', new Date('2026-01-15T22:00:00Z'), new Date(Date.parse('2026-01-15T22:00:00Z') + 9 * hour))).toBe(false);
  });
});
