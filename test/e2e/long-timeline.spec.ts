import { expect, test } from '@playwright/test';
import { openCore } from '../../main/core/open.js';
import { timelineOf } from './cockpit-actions.js';
import { removeDir, startCockpit, tempDir, type Cockpit } from './conn-processes.js';
import { seedNotes } from './seed-timeline.js';

const ENTRIES = 1500;
let cockpit: Cockpit;
let incidentId: string;

// Seeded through the core before `conn web` opens the same data dir: 1,500 CLI calls would take minutes.
test.beforeAll(async () => {
  const dataDir = tempDir('long');
  const core = openCore({ dataDir });
  core.profile.set({ name: 'Seeder', timeZone: 'UTC' });
  incidentId = core.incidents.declare({ title: 'A long night', severity: 2 }).id;
  seedNotes(core, incidentId, ENTRIES);
  await core.close();
  cockpit = await startCockpit('Seeder', { dataDir });
});

test.afterAll(async () => {
  await cockpit.stop();
  removeDir(cockpit.dataDir);
});

test('scrolling back walks keyset windows to the first entry while the DOM stays small', async ({ page }) => {
  await page.goto(`${cockpit.url}#/incident/${incidentId}`);
  const timeline = timelineOf(page);
  await expect(timeline).toContainText(`Entry number ${ENTRIES - 1}`);
  const scroller = page.getByRole('region', { name: 'Timeline entries' });
  let maxRows = 0;
  // The first entry is in the DOM only after ~15 older windows have been fetched.
  await expect
    .poll(
      async () => {
        await scroller.evaluate((el) => el.scrollTo(0, 0));
        maxRows = Math.max(maxRows, await timeline.getByRole('listitem').count());
        return /Entry number 0(?!\d)/.test(await timeline.innerText());
      },
      { timeout: 45_000, intervals: [200] },
    )
    .toBe(true);
  expect(maxRows).toBeLessThan(80);
});
