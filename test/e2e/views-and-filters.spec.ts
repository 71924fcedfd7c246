import { expect, test } from '@playwright/test';
import { declareIncident, timelineOf, write } from './cockpit-actions.js';
import { removeDir, startCockpit, type Cockpit } from './conn-processes.js';

let cockpit: Cockpit;

test.beforeEach(async () => {
  cockpit = await startCockpit('Chen');
});

test.afterEach(async () => {
  await cockpit.stop();
  removeDir(cockpit.dataDir);
});

test('W shows every active incident on the wall, each with its update countdown', async ({ page }) => {
  await page.goto(cockpit.url);
  await declareIncident(page, 'Login page times out');
  await declareIncident(page, 'Webhooks delayed by 10 minutes');
  // Shortcuts are for when no text field has the caret.
  await page.getByRole('button', { name: 'Incidents' }).focus();
  await page.keyboard.press('w');
  const wall = page.getByRole('list', { name: 'Active incidents' });
  await expect(page.getByRole('heading', { name: 'Wall: 2 active' })).toBeVisible();
  await expect(wall.getByRole('listitem')).toHaveCount(2);
  for (const title of ['Login page times out', 'Webhooks delayed by 10 minutes']) {
    await expect(wall.getByRole('listitem').filter({ hasText: title })).toContainText(/update (in|overdue)/);
  }
});

test('"Pinned only" narrows the timeline to pinned entries, and clearing it brings the rest back', async ({ page }) => {
  await page.goto(cockpit.url);
  await declareIncident(page, 'Disk filling on log-3');
  await write(page, 'Disk at 91% and rising 1% a minute');
  await write(page, 'Rotated the nginx logs');
  const timeline = timelineOf(page);
  const disk = timeline.getByRole('listitem').filter({ hasText: 'Disk at 91%' });
  await disk.hover();
  await disk.getByRole('button', { name: 'Pin' }).click();
  await expect(timeline.getByRole('listitem').filter({ hasText: 'Disk at 91%' })).toContainText('pinned');

  await page.getByRole('checkbox', { name: 'Pinned only' }).check();
  await expect(timeline.getByRole('listitem')).toHaveCount(1);
  await expect(timeline).toContainText('Disk at 91%');
  await page.getByRole('checkbox', { name: 'Pinned only' }).uncheck();
  await expect(timeline).toContainText('Rotated the nginx logs');
});
