import { describe, expect, it } from 'vitest';
import { planCall, type CallAttendee } from './plan-call.js';

const person = (name: string, timeZone: string, workingHours: CallAttendee['workingHours'] = '09:00-17:00'): CallAttendee => ({ name, timeZone, workingHours });

describe('planning a call', () => {
  it('ranks slots by how many attendees are inside their hours, then the earliest, across a DST change', () => {
    // Los Angeles and Tokyo share one working hour (16:00 PST = 09:00 JST) only while LA is on
    // PST: once LA springs forward on 8 March, 09:00 JST is 17:00 PDT.
    const slots = planCall({
      attendees: [person('bo', 'America/Los_Angeles', { start: '09:00', end: '17:00' }), person('kenji', 'Asia/Tokyo')],
      lengthMin: 60,
      from: '2026-03-06T12:00:00Z',
      horizonMin: 72 * 60,
      stepMin: 30,
      count: 3,
    });
    expect(slots.map((s) => [s.start, s.inside])).toEqual([
      ['2026-03-07T00:00:00.000Z', 2],
      ['2026-03-08T00:00:00.000Z', 2],
      ['2026-03-06T17:00:00.000Z', 1],
    ]);
    expect(slots[1]).toEqual({
      start: '2026-03-08T00:00:00.000Z',
      end: '2026-03-08T01:00:00.000Z',
      inside: 2,
      attendees: [
        { name: 'bo', timeZone: 'America/Los_Angeles', localStart: '2026-03-07 16:00 PST', localEnd: '2026-03-07 17:00 PST', inside: true },
        { name: 'kenji', timeZone: 'Asia/Tokyo', localStart: '2026-03-08 09:00 GMT+9', localEnd: '2026-03-08 10:00 GMT+9', inside: true },
      ],
    });
    const all = planCall({ attendees: [person('bo', 'America/Los_Angeles'), person('kenji', 'Asia/Tokyo')], lengthMin: 60, from: '2026-03-06T12:00:00Z', count: 1000 });
    expect(all.find((s) => s.start === '2026-03-09T00:00:00.000Z')?.attendees.map((a) => [a.localStart, a.inside])).toEqual([
      ['2026-03-08 17:00 PDT', false],
      ['2026-03-09 09:00 GMT+9', true],
    ]);
  });

  it('finds a slot across midnight for a night shift, and flags who is outside', () => {
    const slots = planCall({
      attendees: [person('nina', 'Europe/Berlin', '22:00-06:00'), person('liam', 'Australia/Sydney'), person('ana', 'America/Sao_Paulo')],
      lengthMin: 60,
      from: '2026-01-15T12:00:00Z',
      count: 3,
    });
    expect(slots.map((s) => [s.start, s.inside])).toEqual([
      ['2026-01-15T22:00:00.000Z', 2],
      ['2026-01-15T22:30:00.000Z', 2],
      ['2026-01-15T23:00:00.000Z', 2],
    ]);
    expect(slots[1]?.attendees).toEqual([
      { name: 'nina', timeZone: 'Europe/Berlin', localStart: '2026-01-15 23:30 GMT+1', localEnd: '2026-01-16 00:30 GMT+1', inside: true },
      { name: 'liam', timeZone: 'Australia/Sydney', localStart: '2026-01-16 09:30 GMT+11', localEnd: '2026-01-16 10:30 GMT+11', inside: true },
      { name: 'ana', timeZone: 'America/Sao_Paulo', localStart: '2026-01-15 19:30 GMT-3', localEnd: '2026-01-15 20:30 GMT-3', inside: false },
    ]);
  });

  it('keeps half-hour and 45-minute zones in step', () => {
    const [best] = planCall({
      attendees: [person('asha', 'Asia/Kolkata'), person('sita', 'Asia/Kathmandu'), person('jack', 'Australia/Adelaide')],
      lengthMin: 60,
      from: '2026-01-15T00:00:00Z',
    });
    expect(best?.start).toBe('2026-01-15T03:30:00.000Z');
    expect(best?.attendees.map((a) => a.localStart)).toEqual(['2026-01-15 09:00 GMT+5:30', '2026-01-15 09:15 GMT+5:45', '2026-01-15 14:00 GMT+10:30']);
  });

  it.each([
    // [zone, hours, from, step, first slot inside, its local start]
    ['America/Los_Angeles', '09:00-17:00', '2026-03-08T02:00:00Z', 30, '2026-03-08T16:00:00.000Z', '2026-03-08 09:00 PDT'],
    ['America/Los_Angeles', '09:00-17:00', '2026-11-01T02:00:00Z', 30, '2026-11-01T17:00:00.000Z', '2026-11-01 09:00 PST'],
    ['Europe/Berlin', '09:00-17:00', '2026-03-28T17:00:00Z', 30, '2026-03-29T07:00:00.000Z', '2026-03-29 09:00 GMT+2'],
    ['Europe/Berlin', '22:00-06:00', '2026-03-29T03:00:00Z', 30, '2026-03-29T03:00:00.000Z', '2026-03-29 05:00 GMT+2'],
    ['Europe/Berlin', '22:00-06:00', '2026-03-29T03:30:00Z', 30, '2026-03-29T20:00:00.000Z', '2026-03-29 22:00 GMT+2'],
    ['Asia/Kolkata', '09:00-17:00', '2026-01-15T12:00:00Z', 30, '2026-01-16T03:30:00.000Z', '2026-01-16 09:00 GMT+5:30'],
    ['Asia/Kathmandu', '09:00-17:00', '2026-01-15T12:00:00Z', 30, '2026-01-16T03:30:00.000Z', '2026-01-16 09:15 GMT+5:45'],
    ['Asia/Kathmandu', '09:00-17:00', '2026-01-15T12:00:00Z', 15, '2026-01-16T03:15:00.000Z', '2026-01-16 09:00 GMT+5:45'],
    ['Australia/Adelaide', '09:00-17:00', '2026-04-03T12:00:00Z', 30, '2026-04-03T22:30:00.000Z', '2026-04-04 09:00 GMT+10:30'],
    ['Australia/Adelaide', '09:00-17:00', '2026-04-05T12:00:00Z', 30, '2026-04-05T23:30:00.000Z', '2026-04-06 09:00 GMT+9:30'],
    ['Australia/Adelaide', '09:00-17:00', '2026-10-02T12:00:00Z', 30, '2026-10-02T23:30:00.000Z', '2026-10-03 09:00 GMT+9:30'],
    ['Australia/Adelaide', '09:00-17:00', '2026-10-04T12:00:00Z', 30, '2026-10-04T22:30:00.000Z', '2026-10-05 09:00 GMT+10:30'],
  ])('in %s (%s) from %s by %d min, the first working slot is %s (%s)', (zone, hours, from, stepMin, start, local) => {
    const [best] = planCall({ attendees: [person('x', zone, hours)], lengthMin: 60, from, stepMin, count: 1 });
    expect(best).toMatchObject({ start, inside: 1 });
    expect(best?.attendees[0]?.localStart).toBe(local);
  });

  it('starts on whole steps at or after `from`, and ends every slot inside the horizon', () => {
    const slots = planCall({ attendees: [], lengthMin: 45, from: '2026-01-15T10:07:00Z', horizonMin: 120, count: 10 });
    expect(slots.map((s) => s.start.slice(11, 16))).toEqual(['10:30', '11:00']); // 11:30 would end at 12:15, past 12:07
    expect(slots.every((s) => s.inside === 0 && s.attendees.length === 0)).toBe(true);
  });

  it.each([
    ['a zero length', { lengthMin: 0 }, /call length/],
    ['a negative step', { stepMin: -30 }, /step/],
    ['no slots asked for', { count: 0 }, /at least one/],
    ['an unknown zone', { attendees: [person('x', 'Mars/Olympus')] }, /unknown time zone "Mars\/Olympus" for x/],
    ['bad working hours', { attendees: [person('x', 'UTC', '9-5')] }, /working hours/],
    ['a bad start', { from: 'tomorrow' }, /not a time/],
    ['a one-minute step over a year', { stepMin: 1, horizonMin: 365 * 24 * 60 }, /too many slots/],
  ])('refuses %s', (_name, over, message) => {
    expect(() => planCall({ attendees: [], lengthMin: 30, from: '2026-01-15T00:00:00Z', ...over })).toThrow(message);
  });
});
