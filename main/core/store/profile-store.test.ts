import { afterAll, expect, it } from 'vitest';
import { openCore } from '../open.js';
import { tempCore } from '../../../test/core/temp-core.js';

const { core, dataDir, cleanup } = tempCore();
afterAll(cleanup);

it('sees a profile change made by another process (the CLI) while the app runs', async () => {
  core.profile.set({ name: 'Ana', timeZone: 'Europe/Berlin' });
  expect(core.profile.get()).toMatchObject({ name: 'Ana', timeZone: 'Europe/Berlin' });
  const cli = openCore({ dataDir }); // a second connection to the same file, as `conn profile` is
  cli.profile.set({ name: 'Ana Lima', timeZone: 'Asia/Tokyo' });
  await cli.close();
  expect(core.profile.get()).toMatchObject({ name: 'Ana Lima', timeZone: 'Asia/Tokyo' });
});

it('signs events with the current name right after it changes', () => {
  const { id } = core.incidents.declare({ title: 'Checkout 502', severity: 2 });
  core.profile.set({ name: 'Bo' });
  expect(core.events.appendLocal(id, 'note', { text: 'hi' }).author.name).toBe('Bo');
});

it('counts a profile as chosen only once someone sets it, never for the default written on first use', () => {
  const fresh = tempCore();
  try {
    expect(fresh.core.profile.get().name.length).toBeGreaterThan(0);
    expect(fresh.core.profile.chosen()).toBe(false);
    // Bad input changes nothing, the flag included.
    expect(() => fresh.core.profile.set({ timeZone: 'Mars/Olympus' })).toThrow(/zone/i);
    expect(fresh.core.profile.chosen()).toBe(false);
    fresh.core.profile.set({ name: 'Ana', timeZone: 'Europe/Berlin', workingHours: '08:00-16:00' });
    expect(fresh.core.profile.chosen()).toBe(true);
  } finally {
    void fresh.cleanup();
  }
});
