import { describe, expect, it } from 'vitest';
import { formatDuration, formatInZone, isValidTimeZone, isWithinWorkingHours, localClock, TimeZoneSchema } from './zone.js';

const at = new Date('2026-11-28T14:05:09Z');

describe('time zones', () => {
  it.each([
    ['UTC', '2026-11-28 14:05:09 UTC'],
    ['Europe/Berlin', '2026-11-28 15:05:09 GMT+1'],
    ['Asia/Tokyo', '2026-11-28 23:05:09 GMT+9'],
    ['America/Los_Angeles', '2026-11-28 06:05:09 PST'],
  ])('renders a UTC instant in %s as %s', (zone, text) => {
    expect(formatInZone(at.toISOString(), zone)).toBe(text);
  });

  it.each([['Mars/Olympus'], [''], ['Europe/Berlin; DROP TABLE'], ['x'.repeat(200)]])('rejects the zone %j with a message naming it', (zone) => {
    expect(isValidTimeZone(zone)).toBe(false);
    const r = TimeZoneSchema.safeParse(zone);
    expect(r.success).toBe(false);
  });

  it.each([
    ['09:00-17:00', 'Europe/Berlin', true], // 15:05 in Berlin
    ['09:00-17:00', 'Asia/Tokyo', false], // 23:05 in Tokyo
    ['22:00-06:00', 'Asia/Tokyo', true], // a night shift wraps past midnight
    ['09:00-17:00', 'America/Los_Angeles', false], // 06:05, still asleep
  ])('working hours %s in %s contain 14:05 UTC: %s', (hours, zone, inside) => {
    expect(isWithinWorkingHours(hours, zone, at)).toBe(inside);
  });

  it('shows a teammate their own local clock', () => {
    expect(localClock(at, 'Asia/Kolkata')).toBe('19:35');
  });

  it.each([
    [45_000, '45s'],
    [125_000, '2m 5s'],
    [3 * 3600_000 + 12 * 60_000, '3h 12m'],
    [2 * 86_400_000 + 3600_000, '2d 1h'],
    [-90_000, '-1m 30s'],
  ])('formats %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
