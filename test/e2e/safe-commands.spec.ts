import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { timelineOf } from './cockpit-actions.js';
import { removeDir, startCockpit, type Cockpit } from './conn-processes.js';
import { tabTo } from './keyboard.js';

/*
 * The issue: typing "role" and pressing Enter resolved a SEV1, with no confirmation and no undo,
 * and the reopened incident kept "Mitigated" stamped at that moment. These drive the cockpit by
 * keyboard and check the incident through the page: the status control, the timeline (which is
 * append-only) and the milestones panel.
 */

let cockpit: Cockpit;

test.beforeEach(async () => {
  cockpit = await startCockpit('Alice');
});

test.afterEach(async () => {
  await cockpit.stop();
  removeDir(cockpit.dataDir);
});

/** Declares a SEV1 from the keyboard and leaves the caret in the (empty) composer. */
async function declareSev1(page: Page, title: string): Promise<void> {
  await page.goto(cockpit.url);
  await expect(page.getByRole('status', { name: 'Sync status' })).toBeVisible();
  await page.keyboard.press('n');
  const dialog = page.getByRole('dialog', { name: 'Declare an incident' });
  await expect(dialog.getByLabel('Title')).toBeFocused();
  await page.keyboard.type(title);
  await dialog.getByLabel('Severity').selectOption('1');
  await dialog.getByRole('button', { name: 'Declare', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('SEV1');
  await expect(page.getByRole('textbox', { name: 'Add to timeline' })).toBeFocused();
}

/** The header's status badge: its text is the current status. */
const statusControl = (page: Page) => page.getByRole('button', { name: /^Status \w+: change$/ });
const statusRows = (page: Page, status: string) => timelineOf(page).getByRole('listitem').filter({ hasText: `Status → ${status}` });

/** A milestone's shown value: its time, or "—" (the row's dd also holds its Set button). */
function milestone(page: Page, name: 'Mitigated' | 'Resolved') {
  return page.getByRole('region', { name: 'Milestones' }).locator('div').filter({ has: page.getByText(name, { exact: true }) }).locator('dd .milestone-at');
}

/** Opens the palette and types, without pressing Enter. */
async function paletteType(page: Page, query: string): Promise<void> {
  await page.keyboard.press('Control+k');
  const input = page.getByRole('combobox', { name: 'Command' });
  await expect(input).toBeFocused();
  await page.keyboard.type(query);
  await expect(input).toHaveValue(query);
}

const selectedOption = (page: Page) => page.getByRole('option', { selected: true });

/** Moves focus off every text field, so single-key shortcuts apply. */
async function leaveTextFields(page: Page): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
}

test('typing "role" and pressing Enter never changes the status', async ({ page }) => {
  await declareSev1(page, 'Checkout returns 502');
  await expect(statusControl(page)).toHaveText('triage');

  await paletteType(page, 'role');
  await expect(selectedOption(page)).toHaveText('Assign a role…');
  await expect(page.getByRole('option', { name: /Set status/ })).toHaveCount(0);
  await page.keyboard.press('Enter');
  // The role command opens its dialog, which assigns nobody until a name is typed.
  const roleDialog = page.getByRole('dialog', { name: /Assign a role on INC-/ });
  await expect(roleDialog.getByLabel('Role')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(roleDialog.getByLabel('Person')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(roleDialog.getByRole('alert')).toHaveText('Type who takes the role.');
  await page.keyboard.press('Escape');
  await expect(roleDialog).toBeHidden();

  // Every prefix of "role" on the way there, too.
  for (const q of ['r', 'ro', 'rol']) {
    await paletteType(page, q);
    await expect(selectedOption(page)).not.toHaveText(/^Set /);
    await page.keyboard.press('Escape');
  }

  await expect(statusControl(page)).toHaveText('triage');
  await expect(timelineOf(page)).not.toContainText('Status →');
});

test('resolving from the palette asks first; Esc cancels, confirming resolves, Undo restores and the milestones follow', async ({ page }) => {
  await declareSev1(page, 'Payments API times out');
  await paletteType(page, 'identified');
  await page.keyboard.press('Enter');
  await expect(statusControl(page)).toHaveText('identified');

  // Escape cancels, and so does Enter: focus starts on Cancel.
  for (const key of ['Escape', 'Enter']) {
    await paletteType(page, 'resolved');
    await expect(selectedOption(page)).toHaveText('Set status: resolved');
    await page.keyboard.press('Enter');
    const confirm = page.getByRole('alertdialog', { name: /^Resolve INC-\w+\?$/ });
    await expect(confirm).toBeVisible();
    await expect(confirm).toContainText('customer impact is over');
    await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await page.keyboard.press(key);
    await expect(confirm).toBeHidden();
    await expect(page.getByRole('textbox', { name: 'Add to timeline' })).toBeFocused();
  }
  await expect(statusControl(page)).toHaveText('identified');
  await expect(statusRows(page, 'resolved')).toHaveCount(0);
  await expect(milestone(page, 'Resolved')).toHaveText('—');

  // Tab to the destructive button (focus stays in the dialog) and confirm.
  await paletteType(page, 'resolved');
  await page.keyboard.press('Enter');
  const confirm = page.getByRole('alertdialog', { name: /^Resolve INC-/ });
  await page.keyboard.press('Tab');
  await expect(confirm.getByRole('button', { name: 'Resolve incident' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Enter');
  await expect(confirm).toBeHidden();
  await expect(statusControl(page)).toHaveText('resolved');
  await expect(statusRows(page, 'resolved')).toHaveCount(1);
  await expect(milestone(page, 'Resolved')).not.toHaveText('—');
  await expect(milestone(page, 'Mitigated')).not.toHaveText('—');

  // The toast offers Undo; Ctrl+Z from the (empty) composer takes it.
  await expect(page.getByRole('status').filter({ hasText: /^Changed INC-\w+ status: identified → resolved\.$/ })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Undo' })).toBeVisible();
  await page.keyboard.press('Control+z');
  await expect(statusControl(page)).toHaveText('identified');
  await expect(page.getByRole('status').filter({ hasText: /^Undone: INC-\w+ status: resolved → identified$/ })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Undo' })).toHaveCount(0);

  // Undo is a new event on the append-only timeline; the resolution's milestones do not stick.
  await expect(statusRows(page, 'identified')).toHaveCount(2);
  await expect(statusRows(page, 'resolved')).toHaveCount(1);
  await expect(milestone(page, 'Resolved')).toHaveText('—');
  await expect(milestone(page, 'Mitigated')).toHaveText('—');
  await page.reload();
  await expect(statusControl(page)).toHaveText('identified');
  await expect(milestone(page, 'Mitigated')).toHaveText('—');
});

test('pressing S (or V) then Enter changes nothing; a deliberate choice changes it, with Undo', async ({ page }) => {
  await declareSev1(page, 'Search is empty for everyone');
  await leaveTextFields(page);

  await page.keyboard.press('s');
  const chooser = page.getByRole('dialog', { name: /^Change status of INC-/ });
  await expect(chooser).toBeVisible();
  await expect(chooser.getByRole('radio', { name: /^triage \(current\)/ })).toBeFocused();
  await expect(chooser.getByRole('radio', { name: /^triage \(current\)/ })).toBeChecked();
  await page.keyboard.press('Enter');
  await expect(chooser).toBeHidden();

  await page.keyboard.press('v');
  const sevChooser = page.getByRole('dialog', { name: /^Change severity of INC-/ });
  await expect(sevChooser.getByRole('radio', { name: /^SEV1 \(current\)/ })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(sevChooser).toBeHidden();

  await expect(statusControl(page)).toHaveText('triage');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('SEV1');
  await expect(timelineOf(page)).not.toContainText('Status →');
  await expect(timelineOf(page)).not.toContainText('Severity →');
  await expect(page.getByRole('button', { name: 'Undo' })).toHaveCount(0);

  // S, ArrowDown, Enter is a choice: triage → investigating at once, with Undo as a button.
  await page.keyboard.press('s');
  await page.keyboard.press('ArrowDown');
  await expect(chooser.getByRole('button', { name: 'Set status to investigating' })).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(statusControl(page)).toHaveText('investigating');
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(statusControl(page)).toHaveText('triage');
  await expect(statusRows(page, 'investigating')).toHaveCount(1);
  await expect(statusRows(page, 'triage')).toHaveCount(1);

  // Choosing "resolved" in the chooser still asks first; Escape leaves everything as it was.
  await leaveTextFields(page);
  await page.keyboard.press('s');
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowDown');
  await expect(chooser.getByRole('radio', { name: /^resolved/ })).toBeChecked();
  await page.keyboard.press('Enter');
  const confirm = page.getByRole('alertdialog', { name: /^Resolve INC-/ });
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(confirm).toBeHidden();
  await expect(statusControl(page)).toHaveText('triage');
  await expect(statusRows(page, 'resolved')).toHaveCount(0);
});

for (const scheme of ['light', 'dark'] as const) {
  test(`lowering severity asks first, from the header badge too, and axe is content with the dialog and the toast (${scheme})`, async ({ page }) => {
    // Two full-page axe scans and four chooser round trips: more than the default minute on a busy machine.
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme: scheme });
    await declareSev1(page, 'Login slow in APAC');
    const axe = async (where: string) => {
      const result = await new AxeBuilder({ page }).analyze();
      const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(bad.map((v) => `${where}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    };

    const sev = page.getByRole('button', { name: /^Severity SEV\d: change$/ });
    /** The header badge opens the severity chooser on the current value; the arrows pick another. */
    const choose = async (level: number) => {
      // Read the badge before the chooser opens: the modal makes the page behind it inert.
      const current = Number((await sev.textContent())!.slice(3));
      await sev.click();
      const chooser = page.getByRole('dialog', { name: /^Change severity of INC-/ });
      await expect(chooser).toBeVisible();
      await page.keyboard.press(level > current ? 'ArrowDown' : 'ArrowUp');
      await expect(chooser.getByRole('radio', { name: new RegExp(`^SEV${level}`) })).toBeChecked();
      await page.keyboard.press('Enter');
    };
    await choose(2);
    const confirm = page.getByRole('alertdialog', { name: /^Lower INC-\w+ to SEV2\?$/ });
    await expect(confirm).toContainText('every 30 min instead of every 20 min');
    await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await axe('confirm dialog');
    await page.keyboard.press('Escape');
    await expect(confirm).toBeHidden();
    await expect(sev).toBeFocused();
    await expect(sev).toHaveText('SEV1');
    await expect(timelineOf(page)).not.toContainText('Severity →');

    await choose(2);
    await tabTo(page, 'Lower to SEV2');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1 })).toContainText('SEV2');
    await expect(page.getByRole('button', { name: 'Undo' })).toBeVisible();
    await axe('undo toast');

    // Raising is urgent and never waits for a confirmation (it can still be undone).
    await choose(1);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('SEV1');
    await expect(page.getByRole('alertdialog')).toHaveCount(0);

    // The offer lasts 10 seconds, then goes.
    if (scheme === 'light') {
      const undo = page.getByRole('button', { name: 'Undo' });
      await expect(undo).toBeVisible();
      await page.waitForTimeout(8_000);
      await expect(undo).toBeVisible();
      await expect(undo).toHaveCount(0, { timeout: 5_000 });
      await page.keyboard.press('Control+z');
      await expect(page.getByRole('heading', { level: 1 })).toContainText('SEV1');
    }
  });
}
