import { describe, expect, it } from 'vitest';
import { roughDuration, updateDueCell, updateDueText } from './update-due.js';

const DUE = '2026-11-28T13:20:00.000Z'; // 14:20 in Berlin (GMT+1)
const at = (iso: string) => Date.parse(iso);

describe('when the next stakeholder update is owed', () => {
  it.each<[string, string | null, string, string, string | null]>([
    ['five minutes ahead', DUE, 'Europe/Berlin', '2026-11-28T13:15:00Z', 'next update due 14:20 GMT+1 (in 5m)'],
    ['four and a half minutes ahead, rounded', DUE, 'Europe/Berlin', '2026-11-28T13:15:30Z', 'next update due 14:20 GMT+1 (in 5m)'],
    ['in its last minute', DUE, 'Europe/Berlin', '2026-11-28T13:19:15Z', 'next update due 14:20 GMT+1 (in 45s)'],
    ['in another zone', DUE, 'Asia/Tokyo', '2026-11-28T13:15:00Z', 'next update due 22:20 GMT+9 (in 5m)'],
    ['an hour and a half late, read in Tokyo', DUE, 'Asia/Tokyo', '2026-11-28T14:50:00Z', 'update overdue by 1h 30m'],
    ['due tomorrow there', '2026-11-28T15:30:00.000Z', 'Asia/Tokyo', '2026-11-28T14:50:00Z', 'next update due 2026-11-29 00:30 GMT+9 (in 40m)'],
    ['exactly now', DUE, 'Europe/Berlin', DUE, 'update overdue by 1s'],
    ['three minutes late', DUE, 'Europe/Berlin', '2026-11-28T13:23:00Z', 'update overdue by 3m'],
    ['twenty seconds late', DUE, 'Europe/Berlin', '2026-11-28T13:20:20Z', 'update overdue by 20s'],
    ['a day and two hours late', DUE, 'UTC', '2026-11-29T15:20:00Z', 'update overdue by 1d 2h'],
    ['when none is owed', null, 'UTC', '2026-11-28T13:15:00Z', null],
  ])('%s', (_what, due, zone, now, text) => {
    expect(updateDueText(due, zone, at(now))).toBe(text);
  });

  it.each<[string | null | undefined, string, string]>([
    [DUE, '2026-11-28T13:15:00Z', 'in 5m'],
    [DUE, '2026-11-28T13:23:00Z', 'overdue by 3m'],
    [null, '2026-11-28T13:23:00Z', '—'],
    [undefined, '2026-11-28T13:23:00Z', '—'],
  ])('reads %s at %s as "%s" in a list', (due, now, cell) => {
    expect(updateDueCell(due, at(now))).toBe(cell);
  });

  it.each([
    [400, '1s'],
    [59_400, '59s'],
    [59_600, '1m'],
    [90 * 60_000, '1h 30m'],
    [2 * 3_600_000, '2h'],
    [48 * 3_600_000, '2d'],
    [-180_000, '3m'],
  ])('rounds %d ms to %s', (ms, text) => {
    expect(roughDuration(ms)).toBe(text);
  });
});
