import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { declareIncident, timelineOf, write } from './cockpit-actions.js';
import { openOnline, teamOfTwo } from './team-of-two.js';

/*
 * A retrospective written by two people at once, in two browsers on two cockpits and one hub:
 * both add a contributing factor at the same moment and both stay; Bob sends it for review and
 * cannot publish (he is not the commander), Alice publishes it; the follow-up list closes the
 * remediation action; the export is a PDF.
 */

// Two cockpits, a hub and a Chromium print on a shared machine: the hooks that start them need time too.
test.describe.configure({ timeout: 300_000 });
const team = teamOfTwo();

/** axe's serious and critical findings inside one view: the editor and the list must have none. */
async function seriousAxe(page: Page, selector: string): Promise<string[]> {
  const result = await new AxeBuilder({ page }).include(selector).analyze();
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`);
}

const retro = (page: Page) => page.getByRole('article', { name: /Retrospective:/ });
const section = (page: Page, name: string) => retro(page).getByRole('region', { name });

async function addItem(page: Page, list: string, text: string): Promise<void> {
  const box = section(page, list).getByRole('textbox', { name: `New: ${list}` });
  await box.fill(text);
  await section(page, list).getByRole('button', { name: 'Add' }).click();
  await expect(box).toHaveValue('');
}

test('two people write one retrospective, review it and publish it; its action is closed from the follow-up list', async ({ browser }) => {
  const a = await openOnline(browser, team.alice.url);
  const b = await openOnline(browser, team.bob.url);

  await declareIncident(a, 'Checkout returns 502');
  const composer = a.getByRole('textbox', { name: 'Add to timeline' });
  await write(a, 'Rolled back 4.2.1; errors are falling');
  await composer.press('Alt+4');
  await write(a, 'Add backoff to the checkout client');
  // Rows show their actions on focus: pin with the keyboard, as the cockpit's P does.
  const rolledBack = timelineOf(a).locator('[data-entry-id]').filter({ hasText: 'Rolled back 4.2.1' });
  await rolledBack.focus();
  await rolledBack.press('p');
  await expect(rolledBack.getByText('pinned', { exact: true })).toBeVisible();

  // Both open the retrospective: Alice from the header, Bob from the palette.
  await a.getByRole('button', { name: 'Retrospective' }).click();
  await expect(section(a, 'Key moments')).toContainText('Rolled back 4.2.1');
  await b.getByRole('button', { name: /Checkout returns 502/ }).click();
  await expect(b.getByRole('heading', { level: 1 })).toContainText('Checkout returns 502');
  await b.keyboard.press('Control+k');
  await b.keyboard.type('retrospective');
  await b.keyboard.press('Enter');
  await expect(retro(b)).toBeVisible();

  // Blaming words are pointed out while they are typed, before anything is saved.
  const summary = section(a, 'Summary').getByRole('textbox', { name: 'Summary' });
  await summary.fill('Human error during the deploy.');
  await expect(section(a, 'Summary').getByRole('list', { name: 'Wording suggestions for Summary' })).toContainText('“Human error” assigns blame');
  await summary.fill('Checkout returned 502s for 20 minutes after release 4.2.1.');
  await expect(section(a, 'Summary').getByRole('list', { name: /Wording suggestions/ })).toHaveCount(0);
  await section(a, 'Summary').getByRole('button', { name: 'Save summary' }).click();
  await expect(section(b, 'Summary').getByRole('textbox', { name: 'Summary' })).toHaveValue('Checkout returned 502s for 20 minutes after release 4.2.1.', { timeout: 20_000 });

  // Both add a factor at the same time: both survive on both screens.
  await section(a, 'Contributing factors').getByRole('combobox', { name: 'Category of the new factor' }).selectOption('change');
  await Promise.all([
    addItem(a, 'Contributing factors', 'The deploy skipped the staging soak'),
    addItem(b, 'Contributing factors', 'The canary covered 1% of traffic'),
  ]);
  for (const page of [a, b]) {
    const factors = section(page, 'Contributing factors');
    await expect(factors).toContainText('The deploy skipped the staging soak', { timeout: 20_000 });
    await expect(factors).toContainText('The canary covered 1% of traffic', { timeout: 20_000 });
    await expect(factors.getByRole('listitem')).toHaveCount(2);
  }
  await addItem(b, 'What went well', 'Paging reached the owner in a minute');
  await expect(section(a, 'What went well')).toContainText('Paging reached the owner in a minute', { timeout: 20_000 });
  // The box follows the saved document, so it is ticked once the link is saved.
  const link = section(a, 'Remediation').getByRole('checkbox', { name: /Add backoff to the checkout client/ });
  await link.click();
  await expect(link).toBeChecked();

  // Bob sends it for review; he is not the commander, so publishing is refused with who may.
  await retro(b).getByRole('button', { name: 'Send for review' }).click();
  await expect(retro(a).getByText('In review', { exact: true })).toBeVisible({ timeout: 20_000 });
  await retro(b).getByRole('button', { name: 'Publish' }).click();
  await expect(retro(b).getByRole('alert')).toContainText('only the commander (Alice) or a team admin can publish the retrospective');
  await expect(retro(b).getByText('In review', { exact: true })).toBeVisible();

  // Alice, the commander, publishes it; both see who did.
  await retro(a).getByRole('button', { name: 'Publish' }).click();
  for (const page of [a, b]) await expect(retro(page).getByText('published by Alice')).toBeVisible({ timeout: 20_000 });
  expect(await seriousAxe(a, '.retro')).toEqual([]);

  // Export: a real PDF, printed by Chromium in the core.
  const download = a.waitForEvent('download', { timeout: 120_000 });
  await retro(a).getByRole('button', { name: 'Export PDF' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^INC-[0-9A-Z]+-retrospective\.pdf$/);
  const pdf = readFileSync((await file.path())!);
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');

  // The follow-up list, from the top bar: the remediation action is open until Bob marks it done.
  await b.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Follow-up' }).click();
  const rows = b.getByRole('table', { name: 'Action items' });
  await expect(rows).toContainText('Add backoff to the checkout client', { timeout: 20_000 });
  expect(await seriousAxe(b, '.followup')).toEqual([]);
  await rows.getByRole('button', { name: 'Mark done: Add backoff to the checkout client' }).click();
  await expect(b.getByText('No open action items.')).toBeVisible();
  await b.getByLabel('Include done and cancelled').check();
  await expect(rows.getByRole('row').filter({ hasText: 'Add backoff' })).toContainText('done');
  await expect(section(a, 'Remediation').getByRole('listitem').filter({ hasText: 'Add backoff' })).toContainText('done', { timeout: 20_000 });
});
