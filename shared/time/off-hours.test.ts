import { describe, expect, it } from 'vitest';
import { nextWorkingStart, notifyAt, outsideHoursNote } from './off-hours.js';

const person = (timeZone: string, workingHours = '09:00-17:00') => ({ timeZone, workingHours });

describe('when a desktop notification for someone may fire', () => {
  it.each([
    // [zone, hours, would fire at (UTC), severity, fires at (UTC), why]
    ['Asia/Kolkata', '09:00-17:00', '2026-01-15T05:00:00Z', 2, '2026-01-15T05:00:00Z', 'inside: 10:30 IST goes at once'],
    ['Asia/Kolkata', '09:00-17:00', '2026-01-14T20:44:00Z', 2, '2026-01-15T03:30:00Z', '02:14 IST waits for 09:00 IST (UTC+5:30)'],
    ['Asia/Kolkata', '09:00-17:00', '2026-01-14T20:44:00Z', 1, '2026-01-14T20:44:00Z', 'a SEV1 wakes them'],
    ['Asia/Kolkata', '09:00-17:00', '2026-01-15T11:30:00Z', 3, '2026-01-16T03:30:00Z', '17:00 sharp is already outside: the next morning'],
    ['Asia/Kathmandu', '09:00-17:00', '2026-01-15T03:00:00Z', 2, '2026-01-15T03:15:00Z', '08:45 NPT waits 15 minutes (UTC+5:45)'],
    ['Asia/Kathmandu', '09:00-17:00', '2026-01-15T03:15:00Z', 2, '2026-01-15T03:15:00Z', '09:00 NPT sharp is inside'],
    ['Australia/Adelaide', '09:00-17:00', '2026-04-04T20:00:00Z', 2, '2026-04-04T23:30:00Z', '5 April, DST ended at 03:00: 05:30 ACST waits for 09:00 ACST (+9:30), not 09:00 ACDT (22:30 UTC)'],
    ['Australia/Adelaide', '09:00-17:00', '2026-10-03T20:00:00Z', 2, '2026-10-03T22:30:00Z', 'Sunday 4 October, DST began at 02:00: 09:00 ACDT (+10:30) is 22:30 UTC'],
    ['America/Los_Angeles', '09:00-17:00', '2026-03-08T10:00:00Z', 2, '2026-03-08T16:00:00Z', '02:00 PST on the DST morning waits for 09:00 PDT (16:00 UTC, not 17:00)'],
    ['America/Los_Angeles', '09:00-17:00', '2026-11-01T10:00:00Z', 2, '2026-11-01T17:00:00Z', '03:00 PDT on the last DST night waits for 09:00 PST (17:00 UTC)'],
    ['Europe/Berlin', '22:00-06:00', '2026-03-29T12:00:00Z', 2, '2026-03-29T20:00:00Z', 'a night shift: 14:00 CEST waits for 22:00 CEST'],
    ['Europe/Berlin', '22:00-06:00', '2026-03-29T02:00:00Z', 2, '2026-03-29T02:00:00Z', 'inside a night shift across the DST change: 04:00 CEST'],
    ['UTC', '09:00-09:00', '2026-01-15T03:00:00Z', 2, '2026-01-15T03:00:00Z', 'no working hours at all: never held back forever'],
  ])('%s %s, at %s, SEV%d → %s (%s)', (zone, hours, at, severity, expected) => {
    expect(notifyAt({ person: person(zone, hours), severity, at: new Date(at) }).toISOString()).toBe(new Date(expected).toISOString());
  });

  it('sends at once when the person has no profile here', () => {
    const at = new Date('2026-01-15T03:00:00Z');
    expect(notifyAt({ person: null, severity: 3, at })).toBe(at);
  });

  it('finds the next start even from the last minute of a night shift', () => {
    // 05:59 UTC in a 22:00-06:00 UTC shift is inside; 06:00 is out, and the next start is 22:00.
    expect(nextWorkingStart(person('UTC', '22:00-06:00'), new Date('2026-01-15T05:59:00Z'))?.toISOString()).toBe('2026-01-15T05:59:00.000Z');
    expect(nextWorkingStart(person('UTC', '22:00-06:00'), new Date('2026-01-15T06:00:00Z'))?.toISOString()).toBe('2026-01-15T22:00:00.000Z');
  });

  it('refuses hours it cannot read rather than guessing', () => {
    expect(() => notifyAt({ person: person('UTC', '9-5'), severity: 2, at: new Date() })).toThrow(RangeError);
  });
});

describe('"outside hours, 02:14 their time"', () => {
  it.each([
    ['Asia/Kolkata', '2026-01-14T20:44:00Z', 'outside hours, 02:14 their time'],
    ['Asia/Kolkata', '2026-01-15T05:00:00Z', null],
    ['Asia/Kathmandu', '2026-01-14T20:29:00Z', 'outside hours, 02:14 their time'],
    ['Australia/Adelaide', '2026-01-14T15:44:00Z', 'outside hours, 02:14 their time'],
    ['Australia/Adelaide', '2026-07-14T16:44:00Z', 'outside hours, 02:14 their time'],
    ['America/Los_Angeles', '2026-03-08T10:14:00Z', 'outside hours, 03:14 their time'],
  ])('%s at %s: %s', (zone, at, note) => {
    expect(outsideHoursNote(person(zone), new Date(at))).toBe(note);
  });

  it('says nothing without a profile', () => {
    expect(outsideHoursNote(null, new Date())).toBeNull();
  });
});
