import { expect, test } from '@playwright/test';
import { startCockpit, removeDir, type Cockpit } from './conn-processes.js';
import { declareIncident, timelineOf, write } from './cockpit-actions.js';
import { paletteRun, tabTo } from './keyboard.js';

let cockpit: Cockpit;

test.beforeEach(async () => {
  cockpit = await startCockpit('Alice');
});

test.afterEach(async () => {
  await cockpit.stop();
  removeDir(cockpit.dataDir);
});

test('an IC declares an incident and works it with the keyboard only', async ({ page }) => {
  await page.goto(cockpit.url);
  await expect(page.getByRole('status', { name: 'Sync status' })).toBeVisible();

  // N opens the declare dialog with the caret in Title.
  await page.keyboard.press('n');
  const dialog = page.getByRole('dialog', { name: 'Declare an incident' });
  await expect(dialog.getByLabel('Title')).toBeFocused();
  await page.keyboard.type('Checkout returns 502 for EU customers');
  await page.keyboard.press('Tab');
  await expect(dialog.getByLabel('Severity')).toBeFocused();
  await page.keyboard.press('ArrowUp'); // SEV2 → SEV1
  await expect(dialog.getByLabel('Severity')).toHaveValue('1');
  await tabTo(page, 'Declare');
  await page.keyboard.press('Enter');

  // The cockpit opens with the composer focused.
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Checkout returns 502 for EU customers');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('SEV1');
  const composer = page.getByRole('textbox', { name: 'Add to timeline' });
  await expect(composer).toBeFocused();
  await page.keyboard.type('Error rate jumped at 14:02 after the deploy');
  await page.keyboard.press('Enter');
  const timeline = timelineOf(page);
  await expect(timeline.getByRole('listitem').filter({ hasText: 'Error rate jumped at 14:02' })).toBeVisible();
  await expect(composer).toHaveValue('');

  // Alt+2 makes the next entry a decision without leaving the text box.
  await page.keyboard.press('Alt+2');
  await page.keyboard.type('Roll back the 14:00 deploy');
  await page.keyboard.press('Enter');
  const decision = timeline.getByRole('listitem').filter({ hasText: 'Roll back the 14:00 deploy' });
  await expect(decision).toContainText('Decision');

  // Status and severity from the palette.
  await paletteRun(page, 'Set status: identified');
  await expect(page.getByRole('button', { name: 'Status identified: change' })).toHaveText('identified');
  await paletteRun(page, 'Set severity: SEV2');
  // Lowering severity asks first, with focus on Cancel: Tab to the button named for the act.
  await expect(page.getByRole('alertdialog', { name: /Lower INC-\w+ to SEV2/ })).toBeVisible();
  await tabTo(page, 'Lower to SEV2');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('SEV2');
  await expect(timeline).toContainText('Status → identified');

  // Pin, then edit, the decision: Esc leaves the composer for the timeline, k walks up to it.
  await composer.focus();
  await page.keyboard.press('Escape');
  const focusedRow = () => page.evaluate(() => document.activeElement?.closest('[data-entry-id]')?.textContent ?? '');
  for (let i = 0; i < 10 && !(await focusedRow()).includes('Roll back the 14:00 deploy'); i++) await page.keyboard.press('k');
  await page.keyboard.press('p');
  await expect(decision).toContainText('pinned');
  await page.keyboard.press('e');
  const editor = page.getByRole('textbox', { name: 'Edit entry' });
  await expect(editor).toBeFocused();
  await page.keyboard.press('Control+a');
  await page.keyboard.type('Roll back the 14:00 deploy of checkout-api');
  await page.keyboard.press('Enter');
  await expect(timeline.getByRole('listitem').filter({ hasText: 'of checkout-api' })).toContainText('edited');

  // UTC on demand, then back to the list, where the incident shows its new state.
  await paletteRun(page, 'Show times in UTC');
  await expect(timeline.locator('.day-separator').first()).toContainText('UTC');
  await paletteRun(page, 'Incident list');
  const row = page.getByRole('list', { name: 'Active incidents' }).getByRole('listitem').first();
  await expect(row).toContainText('SEV2');
  await expect(row).toContainText('identified');
  await expect(row).toContainText(/update (in|overdue)/);
});

test('a redacted entry loses its text for good', async ({ page }) => {
  await page.goto(cockpit.url);
  await declareIncident(page, 'Leaked a customer email in the timeline');
  await write(page, 'customer jane@example.com reported it');
  const timeline = timelineOf(page);
  const entry = timeline.getByRole('listitem').filter({ hasText: 'jane@example.com' });
  // Row actions show on hover (or focus).
  await entry.hover();
  await entry.getByRole('button', { name: 'Redact' }).click();
  await page.getByRole('textbox', { name: 'Redaction reason' }).fill('personal data');
  await page.keyboard.press('Enter');
  await expect(timeline).toContainText('Redacted: personal data');
  await expect(timeline).not.toContainText('jane@example.com');
  await page.reload();
  await expect(timelineOf(page)).toContainText('Redacted: personal data');
  await expect(timelineOf(page)).not.toContainText('jane@example.com');
});

test('pasted HTML in an entry is inert: no handler runs, no javascript: link survives', async ({ page }) => {
  await page.goto(cockpit.url);
  await declareIncident(page, 'Markdown safety');
  await write(page, '**bold** <img src=x onerror="window.__pwned=1"> [click me](javascript:window.__pwned=2) <script>window.__pwned=3</script>');
  const entry = timelineOf(page).getByRole('listitem').filter({ hasText: 'click me' });
  await expect(entry.locator('strong')).toHaveText('bold');
  await expect(entry.locator('img[onerror]')).toHaveCount(0);
  await expect(entry.locator('script')).toHaveCount(0);
  await expect(entry.getByText('click me')).not.toHaveAttribute('href', /javascript/);
  await entry.getByText('click me').click();
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});
