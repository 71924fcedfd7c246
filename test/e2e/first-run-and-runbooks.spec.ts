import path from 'node:path';
import { expect, test } from '@playwright/test';
import { timelineOf } from './cockpit-actions.js';
import { removeDir, startCockpit, tempDir, type Cockpit } from './conn-processes.js';

/*
 * Issue 13: a new user is asked who they are (not signed "root · UTC"), and the runbook
 * library attaches to the open incident and imports a break-glass pack without the CLI.
 */

let cockpit: Cockpit;

test.beforeEach(async () => {
  // A data dir nobody has set a profile in: the first run.
  cockpit = await startCockpit('unused', { dataDir: tempDir('fresh') });
});

test.afterEach(async () => {
  await cockpit.stop();
  removeDir(cockpit.dataDir);
});

test('first run asks for name, zone (the OS one proposed) and working hours; bad input is refused; then never again', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(cockpit.url);
  const dialog = page.getByRole('dialog', { name: 'Welcome to Conn: who is at this keyboard?' });
  await expect(dialog.getByLabel('Name')).toBeFocused();
  const osZone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
  await expect(dialog.getByLabel('Time zone')).toHaveValue(osZone);

  // No name: said, nothing saved. A zone that does not exist: the core's sentence, nothing saved.
  await dialog.getByRole('button', { name: 'Save profile' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Type your name: it goes on every entry you write.');
  await dialog.getByLabel('Name').fill('Ana Lima');
  await dialog.getByLabel('Time zone').fill('Mars/Olympus');
  await dialog.getByRole('button', { name: 'Save profile' }).click();
  await expect(dialog.getByRole('alert')).toContainText(/zone/i);
  await expect(dialog).toBeVisible();

  await dialog.getByLabel('Time zone').fill('America/Sao_Paulo');
  await dialog.getByLabel('From').fill('08:00');
  await dialog.getByLabel('To').fill('16:00');
  await dialog.getByRole('button', { name: 'Save profile' }).click();
  await expect(dialog).toBeHidden();
  const who = page.getByRole('button', { name: 'Ana Lima · America/Sao_Paulo' });
  await expect(who).toBeVisible();

  // Chosen now: a reload does not ask again, and the profile view edits it.
  await page.reload();
  await expect(who).toBeVisible();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await who.click();
  const edit = page.getByRole('dialog', { name: 'Your profile' });
  await expect(edit.getByLabel('Name')).toHaveValue('Ana Lima');
  await expect(edit.getByLabel('From')).toHaveValue('08:00');
  await edit.getByLabel('Name').fill('Ana L.');
  await edit.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByRole('button', { name: 'Ana L. · America/Sao_Paulo' })).toBeFocused();
});

test('the library attaches a runbook to the open incident, shows readable snippets, and imports a break-glass pack', async ({ page }) => {
  test.setTimeout(150_000);
  await page.goto(cockpit.url);
  const welcome = page.getByRole('dialog', { name: /Welcome to Conn/ });
  await welcome.getByLabel('Name').fill('Ana');
  await welcome.getByRole('button', { name: 'Save profile' }).click();
  await expect(welcome).toBeHidden();

  await page.getByRole('button', { name: 'Declare incident' }).click();
  await page.getByLabel('Title').fill('Checkout 502 after deploy');
  await page.getByRole('button', { name: 'Declare', exact: true }).click();
  await expect(page.getByRole('textbox', { name: 'Add to timeline' })).toBeFocused();
  const ref = (await page.locator('.cockpit-header .ref').textContent())!;

  await page.getByRole('button', { name: 'Runbooks' }).click();
  // The empty break-glass panel points to an import in the app, not to a CLI command.
  const breakglass = page.getByRole('region', { name: /^Break glass/ });
  await expect(breakglass).toContainText('No break-glass pack yet');
  await expect(breakglass).not.toContainText('conn breakglass');
  // A file that is not a pack: refused with a reason, nothing stored.
  await breakglass.getByLabel('Break-glass pack file').setInputFiles({ name: 'bad.yaml', mimeType: 'text/yaml', buffer: Buffer.from('escalation: 12\n') });
  await expect(breakglass.getByRole('alert')).toContainText('Not imported');
  await expect(breakglass).toContainText('No break-glass pack yet');
  await breakglass.getByLabel('Break-glass pack file').setInputFiles(path.resolve('resources/runbooks/breakglass-template.yaml'));
  await expect(page.getByRole('region', { name: 'Break glass: payments' })).toContainText('Primary incident bridge');

  // Snippets read as text: no "##" or backticks from the Markdown source.
  const box = page.getByRole('searchbox', { name: 'Search runbooks' });
  await box.fill('rollback');
  const results = page.getByRole('list', { name: 'Runbooks' });
  await expect(results.locator('mark').first()).toBeVisible();
  await expect(results).not.toContainText('##');
  await expect(results).not.toContainText('`');
  await results.getByRole('button', { name: /Roll back a deploy/ }).click();

  const attach = page.getByRole('button', { name: `Attach to ${ref}` });
  await attach.focus();
  await page.keyboard.press('Enter');
  const open = page.getByRole('button', { name: `Open ${ref}` });
  // Focus moves to the next thing to do, never the page body.
  await expect(open).toBeFocused();
  await page.keyboard.press('Enter');
  // The checklist shows each step's words with its Markdown rendered; the timeline names the runbook.
  const checklist = page.locator('[data-runbook="rollback-a-deploy"]');
  await expect(checklist.locator('code').first()).toHaveText(/deployctl rollback/);
  await checklist.getByRole('checkbox').first().check();
  await expect(timelineOf(page)).toContainText('Step done: Identify the release');
});
