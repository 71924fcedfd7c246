import { expect, test, type Page } from '@playwright/test';
import { openCore } from '../../main/core/open.js';
import { timelineOf } from './cockpit-actions.js';
import { removeDir, startCockpit, tempDir, type Cockpit } from './conn-processes.js';
import { seedNotes } from './seed-timeline.js';

const ENTRIES = 1500;
/** 1,100 entries back from the newest: far outside the first window of 100 the cockpit loads. */
const TARGET = 400;
let cockpit: Cockpit;
let incidentId: string;
let pastRef: string;

// Seeded through the core before `conn web` opens the same data dir, as long-timeline.spec.ts does.
test.beforeAll(async () => {
  const dataDir = tempDir('search');
  const core = openCore({ dataDir });
  core.profile.set({ name: 'Seeder', timeZone: 'UTC' });
  const past = core.incidents.declare({ title: 'Queue consumers stalled', severity: 2, services: ['orders'] });
  pastRef = past.ref;
  core.events.appendLocal(past.id, 'minutes.written', { text: 'We agreed the quokka deploy caused it and rolled it back.' });
  core.events.appendLocal(past.id, 'status.changed', { status: 'resolved' });
  incidentId = core.incidents.declare({ title: 'A long night', severity: 2, services: ['orders'] }).id;
  seedNotes(core, incidentId, ENTRIES, (i) => (i === TARGET ? `Entry number ${i}: the zanzibar checkpoint was skipped` : `Entry number ${i}`));
  await core.close();
  cockpit = await startCockpit('Seeder', { dataDir });
});

test.afterAll(async () => {
  await cockpit.stop();
  removeDir(cockpit.dataDir);
});

async function openLongIncident(page: Page): Promise<void> {
  await page.goto(`${cockpit.url}#/incident/${incidentId}`);
  await expect(timelineOf(page)).toContainText(`Entry number ${ENTRIES - 1}`);
}

test('"/" searches the timeline and jumps to an entry 1,100 back, focused', async ({ page }) => {
  await openLongIncident(page);
  await expect(timelineOf(page)).not.toContainText(`Entry number ${TARGET}:`);
  // Outside a text field, "/" opens the search; in the composer it would be typed.
  await page.getByRole('region', { name: 'Timeline entries' }).focus();
  await page.keyboard.press('/');
  const box = page.getByRole('combobox', { name: 'Search this timeline' });
  await expect(box).toBeFocused();
  await box.pressSequentially('zanzib');
  const hit = page.getByRole('option').filter({ hasText: 'checkpoint was skipped' });
  await expect(hit).toHaveCount(1);
  // The word is highlighted, completed from the prefix typed so far.
  await expect(hit.locator('mark')).toHaveText('zanzibar');
  await box.press('Enter');
  await expect(page.getByRole('dialog', { name: 'Search this timeline' })).toBeHidden();
  const row = timelineOf(page).getByRole('listitem').filter({ hasText: `Entry number ${TARGET}:` });
  await expect(row).toBeVisible();
  await expect(row).toBeFocused();
  // The window around it is loaded, not the whole timeline.
  await expect(timelineOf(page)).not.toContainText(`Entry number ${ENTRIES - 1}`);
  // And reading on from there walks forward again.
  await expect(page.getByRole('button', { name: /New entries below/ })).toBeVisible();
});

test('a query that is all punctuation gets a sentence, not an error page', async ({ page }) => {
  await openLongIncident(page);
  await page.getByRole('region', { name: 'Timeline entries' }).focus();
  await page.keyboard.press('/');
  const box = page.getByRole('combobox', { name: 'Search this timeline' });
  await box.fill('"*');
  await expect(page.getByRole('alert')).toContainText('type a word to search for');
  await box.fill('"zanzibar');
  await expect(page.getByRole('option')).toHaveCount(1);
  await box.press('Escape');
  await expect(box).toBeHidden();
});

test('"Search incidents…" finds a resolved incident by a word of its minutes and opens it there', async ({ page }) => {
  await openLongIncident(page);
  // It is also suggested beside the runbooks: same service, resolved.
  await expect(page.getByRole('region', { name: 'Similar past incidents' })).toContainText(`${pastRef}: Queue consumers stalled`);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  const box = page.getByRole('combobox', { name: 'Search incidents' });
  await box.pressSequentially('quokka');
  await expect(page.getByRole('option')).toContainText([`${pastRef} Queue consumers stalled · resolved`]);
  await box.press('Enter');
  await expect(page.getByRole('article', { name: `Incident ${pastRef}` })).toBeVisible();
  await expect(timelineOf(page).getByRole('listitem').filter({ hasText: 'quokka deploy' })).toBeFocused();
});
