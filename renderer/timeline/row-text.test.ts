import { describe, expect, it } from 'vitest';
import type { AttachedRunbook } from '../../shared/domain/fold.js';
import { dayOf, runbookStepOf, startsDay } from './row-text.js';

const runbook = {
  attachId: 'a',
  runbookId: 'r',
  name: 'checkout-502',
  version: 1,
  steps: [{ key: 'identify-the-release', text: 'Identify the release in `deploy.log`', done: false, at: null, by: null }],
} as unknown as AttachedRunbook;

describe('timeline row text', () => {
  it('names a runbook step by its text, not its key', () => {
    expect(runbookStepOf('Runbook step identify-the-release done', [runbook])).toEqual({ done: true, text: 'Identify the release in `deploy.log`', runbook: 'checkout-502' });
    expect(runbookStepOf('Runbook step identify-the-release reopened', [runbook])?.done).toBe(false);
  });

  it('leaves other lines and unknown steps alone', () => {
    expect(runbookStepOf('Status → identified', [runbook])).toBeNull();
    expect(runbookStepOf('Runbook step no-such-step done', [runbook])).toBeNull();
    expect(runbookStepOf('Runbook step identify-the-release done', [])).toBeNull();
  });

  it("starts a day at the first row and after midnight in the viewer's zone, not in UTC", () => {
    const at = ['2025-05-14T21:30:00Z', '2025-05-14T22:30:00Z', '2025-05-14T23:30:00Z'];
    // Berlin (UTC+2 in May): 23:30, 00:30 and 01:30 local.
    expect([0, 1, 2].map((i) => startsDay((j) => at[j]!, i, 'Europe/Berlin'))).toEqual([true, true, false]);
    expect([0, 1, 2].map((i) => startsDay((j) => at[j]!, i, 'UTC'))).toEqual([true, false, false]);
    expect(dayOf(at[1]!, 'Europe/Berlin').label).toBe('Thursday 15 May 2025');
  });
});
