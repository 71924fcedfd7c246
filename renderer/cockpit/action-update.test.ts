import { describe, expect, it } from 'vitest';
import { actionChange } from './action-update.js';

const zone = 'Europe/Berlin';
const action = { owner: 'Bo', due: '2026-11-30T15:00:00.000Z' };
const unchanged = { owner: 'Bo', due: '2026-11-30T16:00', noDue: false };

describe('actionChange', () => {
  it('is nothing to write when the owner and the due time are as they were', () => {
    expect(actionChange(action, unchanged, zone)).toEqual({ payload: null, problem: null });
    expect(actionChange({ owner: null, due: null }, { owner: ' ', due: '', noDue: true }, zone)).toEqual({ payload: null, problem: null });
  });

  it('re-assigns, un-assigns and re-dates, each on its own', () => {
    expect(actionChange(action, { ...unchanged, owner: ' Kenji ' }, zone).payload).toEqual({ owner: 'Kenji' });
    expect(actionChange(action, { ...unchanged, owner: '' }, zone).payload).toEqual({ owner: null });
    // 17:30 in Berlin in November is 16:30 UTC.
    expect(actionChange(action, { ...unchanged, due: '2026-11-30T17:30' }, zone).payload).toEqual({ due: '2026-11-30T16:30:00.000Z' });
    expect(actionChange(action, { ...unchanged, noDue: true }, zone).payload).toEqual({ due: null });
    expect(actionChange({ owner: null, due: null }, { owner: 'Ana', due: '2026-11-30T17:30', noDue: false }, zone).payload).toEqual({
      owner: 'Ana',
      due: '2026-11-30T16:30:00.000Z',
    });
  });

  it('refuses a due time that is not one, and an overlong name', () => {
    expect(actionChange(action, { ...unchanged, due: '' }, zone).problem).toMatch(/No due time/);
    expect(actionChange(action, { ...unchanged, owner: 'x'.repeat(81) }, zone).problem).toMatch(/at most 80/);
  });
});
