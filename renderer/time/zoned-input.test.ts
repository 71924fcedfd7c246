import { describe, expect, it } from 'vitest';
import { fromZonedInput, toZonedInput } from './zoned-input.js';

describe('zoned datetime-local values', () => {
  it('reads a wall-clock time in the given zone, not the machine zone', () => {
    expect(fromZonedInput('2026-01-15T08:30', 'Europe/Berlin')).toBe('2026-01-15T07:30:00.000Z');
    expect(fromZonedInput('2026-07-15T08:30', 'Europe/Berlin')).toBe('2026-07-15T06:30:00.000Z');
    expect(fromZonedInput('2026-01-15T08:30', 'America/New_York')).toBe('2026-01-15T13:30:00.000Z');
    expect(fromZonedInput('2026-01-15T08:30', 'Asia/Kolkata')).toBe('2026-01-15T03:00:00.000Z');
    expect(fromZonedInput('2026-01-15T08:30:15', 'UTC')).toBe('2026-01-15T08:30:15.000Z');
  });

  it('writes an instant as the wall-clock time of the zone', () => {
    expect(toZonedInput('2026-01-15T07:30:00.000Z', 'Europe/Berlin')).toBe('2026-01-15T08:30');
    expect(toZonedInput('2026-07-15T06:30:00Z', 'Europe/Berlin')).toBe('2026-07-15T08:30');
    expect(toZonedInput(new Date('2026-01-15T13:30:00Z'), 'America/New_York')).toBe('2026-01-15T08:30');
  });

  it('round-trips every quarter hour around the daylight-saving changes', () => {
    // Lord Howe moves by half an hour, in April and October; Berlin and New York by an hour.
    const windows = [
      ['2026-03-07T00:00:00Z', '2026-03-09T00:00:00Z'],
      ['2026-03-28T12:00:00Z', '2026-03-29T12:00:00Z'],
      ['2026-04-04T00:00:00Z', '2026-04-05T12:00:00Z'],
      ['2026-10-03T00:00:00Z', '2026-10-04T12:00:00Z'],
      ['2026-10-24T12:00:00Z', '2026-10-25T12:00:00Z'],
      ['2026-10-31T12:00:00Z', '2026-11-02T00:00:00Z'],
    ] as const;
    for (const zone of ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe']) {
      for (const [from, to] of windows) {
        for (let t = Date.parse(from); t < Date.parse(to); t += 15 * 60_000) {
          const shown = toZonedInput(new Date(t), zone);
          // A fall-back hour reads twice on the clock; either reading shows the same wall time.
          expect(toZonedInput(fromZonedInput(shown, zone)!, zone)).toBe(shown);
        }
      }
    }
  });

  it('moves a time skipped by spring-forward past the gap', () => {
    // Berlin jumps from 02:00 CET to 03:00 CEST on 2026-03-29: 02:30 does not exist.
    expect(fromZonedInput('2026-03-29T02:30', 'Europe/Berlin')).toBe('2026-03-29T01:30:00.000Z');
  });

  it('refuses what is not a date and time', () => {
    for (const bad of ['', 'yesterday', '2026-01-15', '2026-13-01T00:00', '2026-02-31T10:00', '2026-01-15T24:00']) {
      expect(fromZonedInput(bad, 'Europe/Berlin')).toBeNull();
    }
  });
});
