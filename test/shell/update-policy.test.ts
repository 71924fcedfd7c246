import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideUpdate, IDLE_RESTART_SECONDS, type UpdateSituation } from '../../main/shell/update-policy.js';

const base: UpdateSituation = { updateDownloaded: true, activeIncidents: 0, quitting: false, userRequested: false, idleSeconds: 0 };

describe('update policy', () => {
  it.each<[string, Partial<UpdateSituation>, string]>([
    ['nothing downloaded: nothing to do', { updateDownloaded: false, userRequested: true }, 'none'],
    ['an active incident defers the install', { activeIncidents: 1 }, 'defer'],
    ['an active incident defers even a requested restart', { activeIncidents: 2, userRequested: true }, 'defer'],
    ['an active incident defers even when the machine is idle', { activeIncidents: 1, idleSeconds: 24 * 3600 }, 'defer'],
    ['quitting installs, incident or not', { activeIncidents: 3, quitting: true }, 'install-on-quit'],
    ['no incident, person present: install when they quit', {}, 'install-on-quit'],
    ['no incident, person asked: restart now', { userRequested: true }, 'restart-now'],
    ['no incident, idle long enough: restart now', { idleSeconds: IDLE_RESTART_SECONDS }, 'restart-now'],
    ['no incident, idle not long enough: wait for quit', { idleSeconds: IDLE_RESTART_SECONDS - 1 }, 'install-on-quit'],
  ])('%s', (_name, change, action) => {
    expect(decideUpdate({ ...base, ...change }).action).toBe(action);
  });

  it('says why it deferred, naming the active incidents', () => {
    expect(decideUpdate({ ...base, activeIncidents: 2 }).reason).toMatch(/2 incidents are active/);
  });

  it('never restarts while any incident is active, whatever else is true', () => {
    fc.assert(
      fc.property(
        fc.record({
          updateDownloaded: fc.boolean(),
          activeIncidents: fc.integer({ min: 1, max: 1000 }),
          quitting: fc.boolean(),
          userRequested: fc.boolean(),
          idleSeconds: fc.integer({ min: 0, max: 10_000_000 }),
        }),
        (s) => decideUpdate(s).action !== 'restart-now',
      ),
    );
  });
});
