import { describe, expect, it } from 'vitest';
import { dueArg, pastTimeArg, severityArg, statusArg, textArg, timeZoneArg } from './cli-input.js';

const NOW = new Date('2026-11-28T14:10:00Z');

describe('reading what a responder typed', () => {
  it.each([
    ['30m', '2026-11-28T14:40:00.000Z'],
    ['2h', '2026-11-28T16:10:00.000Z'],
    ['+1d', '2026-11-29T14:10:00.000Z'],
    ['16:30', '2026-11-28T15:30:00.000Z'], // 16:30 in Berlin (UTC+1) is 15:30 UTC, still ahead today
    ['09:00', '2026-11-29T08:00:00.000Z'], // already past in Berlin today: tomorrow
    ['2026-12-01T08:00:00+09:00', '2026-11-30T23:00:00.000Z'],
  ])('reads the due time %s as %s for someone in Berlin', (input, expected) => {
    expect(dueArg(input, 'Europe/Berlin', NOW)).toBe(expected);
  });

  it('refuses a due time it cannot read, saying what works', () => {
    expect(() => dueArg('next tuesday', 'UTC', NOW)).toThrow(/use 30m, 2h, 1d, 16:30 or an ISO time/);
  });

  it.each([
    ['now', '2026-11-28T14:10:00.000Z'],
    ['20m ago', '2026-11-28T13:50:00.000Z'],
    ['2h ago', '2026-11-28T12:10:00.000Z'],
    ['15:05', '2026-11-28T14:05:00.000Z'], // 15:05 in Berlin is 14:05 UTC: five minutes ago, today
    ['16:30', '2026-11-27T15:30:00.000Z'], // still to come in Berlin today: yesterday's
    ['2026-11-28T09:00:00+09:00', '2026-11-28T00:00:00.000Z'],
    ['yesterday 23:50', '2026-11-27T22:50:00.000Z'], // Berlin is UTC+1 in November
    ['Yesterday 09:05', '2026-11-27T08:05:00.000Z'],
  ])('reads the past time %s as %s for someone in Berlin', (input, expected) => {
    expect(pastTimeArg(input, 'Europe/Berlin', NOW)).toBe(expected);
  });

  it('refuses a past time it cannot read, or one still to come, saying what works', () => {
    expect(() => pastTimeArg('yesterday-ish', 'UTC', NOW)).toThrow(/use now, 20m ago, 14:05 \(your zone: today, or yesterday if that is still to come\), yesterday 23:50 or an ISO time/);
    expect(() => pastTimeArg('30m', 'UTC', NOW)).toThrow(/cannot read the time "30m"/);
    expect(() => pastTimeArg('2026-11-29T08:00:00Z', 'UTC', NOW)).toThrow(expect.objectContaining({ code: 'invalid-input', message: '2026-11-29T08:00:00Z is still to come: give the time it happened' }));
  });

  it('turns range errors into invalid-input errors with the domain wording', () => {
    expect(() => severityArg('9')).toThrow(expect.objectContaining({ code: 'invalid-input', message: 'unknown severity "9": use 1 (worst) to 5' }));
    expect(severityArg('SEV2')).toBe(2);
    expect(() => statusArg('done')).toThrow(expect.objectContaining({ code: 'invalid-input' }));
    expect(() => timeZoneArg('Mars/Olympus')).toThrow(expect.objectContaining({ code: 'invalid-input' }));
    expect(timeZoneArg(' Asia/Tokyo ')).toBe('Asia/Tokyo');
  });

  it('joins words into the text and refuses empty or oversized text before anything is opened', async () => {
    expect(await textArg(['db', 'is', 'slow'], undefined)).toBe('db is slow');
    await expect(textArg([], undefined)).rejects.toThrow(/the text is empty/);
    await expect(textArg(['x'.repeat(50_001)], undefined)).rejects.toThrow(/the limit is 50000/);
    await expect(textArg(['also words'], '/nonexistent')).rejects.toThrow(/either as words or with --file/);
    await expect(textArg([], '/nonexistent/file')).rejects.toThrow(/cannot read \/nonexistent\/file: ENOENT/);
  });

  it('stops reading a huge stdin or an endless --file at the limit, with the limit sentence', async () => {
    let chunks = 0;
    async function* endless() {
      for (;;) {
        chunks++;
        yield Buffer.alloc(64 * 1024, 'x');
      }
    }
    await expect(textArg(['-'], undefined, endless())).rejects.toThrow(/the limit is 50000 characters/);
    expect(chunks).toBeLessThan(10);
    await expect(textArg([], '/dev/zero')).rejects.toThrow(/the limit is 50000 characters/);
    await expect(textArg([], '/')).rejects.toThrow(/cannot read \/: EISDIR/);
  });
});
