import { describe, expect, it } from 'vitest';
import { commanderLabel, commanderOf } from './commander.js';

const since = '2026-11-28T08:00:00.000Z';

describe('who commands an incident', () => {
  it.each([
    ['the assigned commander', { commander: { person: 'Bo', since } }, 'Ada', { person: 'Bo', declarer: false }, 'Bo'],
    ['the declarer while nobody is assigned', {}, 'Ada', { person: 'Ada', declarer: true }, 'Ada (declarer)'],
    ['the declarer when only other roles are held', { comms: { person: 'Cy', since } }, 'Ada', { person: 'Ada', declarer: true }, 'Ada (declarer)'],
    ['nobody, for an incident not declared here yet', {}, null, null, null],
  ])('is %s', (_what, roles, declaredBy, commander, label) => {
    const state = { roles: roles as Parameters<typeof commanderOf>[0]['roles'], declaredBy };
    expect(commanderOf(state)).toEqual(commander);
    expect(commanderLabel(state)).toBe(label);
  });
});
