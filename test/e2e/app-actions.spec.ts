import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { formatInZone } from '../../shared/time/zone.js';
import { toZonedInput } from '../../renderer/time/zoned-input.js';
import { declareIncident, timelineOf, write } from './cockpit-actions.js';
import { conn, removeDir, startCockpit, startHub, tempDir, type Cockpit, type Hub } from './conn-processes.js';
import { paletteRun, tabTo } from './keyboard.js';

/*
 * The app reaches every action the CLI does: roles from the roster, the incident's title,
 * summary and services, milestones, action items and hypotheses. Each is driven the way a
 * person would, against a real `conn web`, and checked where people read it (the header, the
 * side panel, the timeline) and, where it matters, in the core through the CLI.
 */

const ZONE = 'Europe/Berlin'; // startCockpit's profile zone

let cockpit: Cockpit;

test.beforeEach(async () => {
  cockpit = await startCockpit('Alice');
});

test.afterEach(async () => {
  await cockpit.stop();
  removeDir(cockpit.dataDir);
});

async function expectNoSeriousAxe(page: Page, where: string): Promise<void> {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${where}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** Tab and Shift+Tab a few times: focus must stay inside the open dialog. */
async function expectFocusTrapped(page: Page, dialog: Locator): Promise<void> {
  for (const key of ['Tab', 'Tab', 'Tab', 'Tab', 'Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
    await page.keyboard.press(key);
    expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  }
}

const roster = (page: Page) => page.getByRole('region', { name: 'Roles' });
const rosterRow = (page: Page, role: string) => roster(page).getByRole('listitem').filter({ has: page.getByText(role, { exact: true }) });
const side = (page: Page) => page.getByRole('complementary', { name: 'Incident details' });
const refOf = async (page: Page) => (await page.locator('h1 .ref').innerText()).trim();

test('roles are assigned and unassigned from the roster, which always lists the standard roles', async ({ page }) => {
  await page.goto(cockpit.url);
  await declareIncident(page, 'Search results are empty');
  await write(page, 'Bo is looking at the indexer');

  // Every standard role has a row, free or not; the declarer commands until someone is assigned.
  for (const role of ['deputy', 'comms', 'scribe', 'ops']) {
    await expect(rosterRow(page, role)).toContainText('unassigned');
    await expect(rosterRow(page, role).getByRole('button', { name: `Unassign ${role}` })).toHaveCount(0);
  }
  await expect(rosterRow(page, 'commander')).toContainText('Alice (declarer)');

  // Assign: the role is the row's, the caret starts in the name, known people are suggested.
  const assign = roster(page).getByRole('button', { name: 'Assign deputy', exact: true });
  await assign.click();
  const dialog = page.getByRole('dialog', { name: /^Assign the deputy role on INC-/ });
  await expect(dialog.getByLabel('Person')).toBeFocused();
  await expect(dialog).toContainText('Nobody holds it now.');
  await expect(page.locator('#role-people option[value="Alice"]')).toHaveCount(1);
  await expectNoSeriousAxe(page, 'assign dialog');
  await expectFocusTrapped(page, dialog);
  // Escape closes it and gives focus back to the row's button; nothing is written.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(assign).toBeFocused();

  await page.keyboard.press('Enter');
  await expect(dialog.getByLabel('Person')).toBeFocused();
  await page.keyboard.type('Bo');
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(assign).toBeFocused();
  await expect(rosterRow(page, 'deputy')).toContainText('Bo');
  await expect(timelineOf(page)).toContainText('Bo is deputy');

  // Unassign asks first, opening on Cancel: Enter there changes nothing.
  const unassign = roster(page).getByRole('button', { name: 'Unassign deputy', exact: true });
  await unassign.click();
  const confirm = page.getByRole('dialog', { name: /^Unassign the deputy role on INC-\w+\?$/ });
  await expect(confirm).toContainText('Bo holds it now; afterwards nobody does.');
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await expectNoSeriousAxe(page, 'unassign dialog');
  await page.keyboard.press('Enter');
  await expect(confirm).toBeHidden();
  await expect(rosterRow(page, 'deputy')).toContainText('Bo');
  await unassign.click();
  await tabTo(page, 'Unassign Bo');
  await page.keyboard.press('Enter');
  await expect(confirm).toBeHidden();
  await expect(rosterRow(page, 'deputy')).toContainText('unassigned');
  // The Unassign button is gone with the assignment: focus is on the row's Assign, not lost.
  await expect(assign).toBeFocused();
  await expect(timelineOf(page)).toContainText('deputy unassigned');
  expect(JSON.parse(conn(cockpit.dataDir, '--json', 'show', await refOf(page))).roles).toEqual({});
});

test('the incident is edited from the header and the palette: title, Markdown summary and services, only what changed', async ({ page }) => {
  await page.goto(cockpit.url);
  await declareIncident(page, 'Checkout slow');
  await expect(side(page).getByRole('region', { name: 'Summary' })).toContainText('No summary yet');

  const edit = page.getByRole('button', { name: 'Edit incident' });
  await edit.click();
  const dialog = page.getByRole('dialog', { name: /^Edit incident INC-/ });
  await expect(dialog.getByLabel('Title')).toBeFocused();
  await expect(dialog.getByLabel('Title')).toHaveValue('Checkout slow');
  await expectNoSeriousAxe(page, 'edit dialog');
  await expectFocusTrapped(page, dialog);
  await dialog.getByLabel('Title').fill('Checkout returns 502 for EU customers');
  await dialog.getByLabel('Summary').fill('Since the **4.2.1** deploy. <img src=x onerror="window.__pwned=1"> [status](javascript:window.__pwned=2)');
  await dialog.getByLabel('Services').fill('checkout, payments,, checkout');
  await expect(dialog).toContainText('saved as checkout payments');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(edit).toBeFocused();

  const header = page.locator('header.cockpit-header');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Checkout returns 502 for EU customers');
  await expect(header.getByRole('list', { name: 'Services' }).getByRole('listitem')).toHaveText(['checkout', 'payments']);
  const summary = side(page).getByRole('region', { name: 'Summary' });
  await expect(summary.locator('strong')).toHaveText('4.2.1');
  await expect(summary.locator('img[onerror]')).toHaveCount(0);
  await expect(summary.getByText('status')).not.toHaveAttribute('href', /javascript/);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await expect(timelineOf(page)).toContainText('Title → Checkout returns 502 for EU customers; Services → checkout, payments; Summary updated');

  // From the palette, changing only the services writes only the services.
  await paletteRun(page, 'Edit incident…');
  await expect(dialog.getByLabel('Services')).toHaveValue('checkout, payments');
  await dialog.getByLabel('Services').fill('checkout');
  await dialog.getByLabel('Services').press('Enter');
  await expect(dialog).toBeHidden();
  await expect(header.getByRole('list', { name: 'Services' }).getByRole('listitem')).toHaveText(['checkout']);
  const edits = timelineOf(page).getByRole('listitem').filter({ hasText: /Services → / });
  await expect(edits.last()).toContainText('Services → checkout');
  await expect(edits.last()).not.toContainText('Title →');

  // A summary can be rewritten, not removed: the dialog says so and writes nothing.
  await edit.click();
  await dialog.getByLabel('Summary').fill('');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('A summary can be rewritten but not removed: say what is known so far.');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  const shown = JSON.parse(conn(cockpit.dataDir, '--json', 'show', await refOf(page))) as { title: string; summary: string; services: string[] };
  expect(shown).toMatchObject({ title: 'Checkout returns 502 for EU customers', services: ['checkout'] });
  expect(shown.summary).toContain('**4.2.1**');
});

test('the declare dialog takes services and a summary', async ({ page }) => {
  await page.goto(cockpit.url);
  await page.getByRole('button', { name: 'Declare incident' }).click();
  const dialog = page.getByRole('dialog', { name: 'Declare an incident' });
  await dialog.getByLabel('Title').fill('Ledger writes failing');
  await dialog.getByLabel('Services').fill('ledger, payments');
  await dialog.getByLabel('Summary').fill('Writes to the ledger time out since 09:12');
  await expectNoSeriousAxe(page, 'declare dialog with services');
  await dialog.getByRole('button', { name: 'Declare', exact: true }).click();
  await expect(page.getByRole('textbox', { name: 'Add to timeline' })).toBeFocused();
  await expect(page.locator('header.cockpit-header').getByRole('list', { name: 'Services' }).getByRole('listitem')).toHaveText(['ledger', 'payments']);
  await expect(side(page).getByRole('region', { name: 'Summary' })).toContainText('Writes to the ledger time out since 09:12');
  const shown = JSON.parse(conn(cockpit.dataDir, '--json', 'show', await refOf(page))) as { services: string[]; summary: string };
  expect(shown).toMatchObject({ services: ['ledger', 'payments'], summary: 'Writes to the ledger time out since 09:12' });
});

test("a milestone is back-dated by hand, typed in the profile's zone and saved as UTC", async ({ page }) => {
  await page.goto(cockpit.url);
  await declareIncident(page, 'Login page times out');
  const milestones = side(page).getByRole('region', { name: 'Milestones' });

  const set = milestones.getByRole('button', { name: 'Set Impact started time' });
  await set.click();
  const dialog = page.getByRole('dialog', { name: /^Set “Impact started” on INC-/ });
  const input = dialog.getByLabel(`Impact started at (${ZONE})`);
  await expect(input).toBeFocused();
  await expectNoSeriousAxe(page, 'milestone dialog');

  // The future is refused with a sentence.
  await input.fill(toZonedInput(new Date(Date.now() + 3 * 3600_000), ZONE));
  await input.press('Enter');
  await expect(dialog.getByRole('alert')).toHaveText('That time is in the future: a milestone records when something happened.');

  // Three hours and a quarter ago, to the minute, as the profile's zone reads it.
  const earlier = new Date(Math.floor((Date.now() - 3.25 * 3600_000) / 60_000) * 60_000);
  await input.fill(toZonedInput(earlier, ZONE));
  await input.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(set).toBeFocused();
  const row = milestones.locator('div').filter({ hasText: 'Impact started' });
  await expect(row.locator('time')).toHaveAttribute('datetime', earlier.toISOString());
  await expect(row.locator('time')).toHaveText(formatInZone(earlier, ZONE, { seconds: false }));
  await expect(timelineOf(page)).toContainText(`Milestone impactStartedAt set to ${earlier.toISOString()}`);
  const shown = JSON.parse(conn(cockpit.dataDir, '--json', 'show', await refOf(page))) as { milestones: Record<string, string | null> };
  expect(shown.milestones['impactStartedAt']).toBe(earlier.toISOString());

  // The palette reaches the same dialog, which opens on the time now set.
  await paletteRun(page, 'Set milestone: Impact started…');
  await expect(input).toHaveValue(toZonedInput(earlier, ZONE));
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('an action is re-assigned, re-dated and marked done; a hypothesis is ruled out', async ({ page, browser }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto(cockpit.url);
  await declareIncident(page, 'Images load slowly');
  const composer = page.getByRole('textbox', { name: 'Add to timeline' });
  await composer.press('Alt+4');
  await write(page, 'purge the CDN cache');
  await composer.press('Alt+3');
  await write(page, 'the origin is overloaded');
  await composer.press('Alt+3');
  await write(page, 'a bad TLS certificate');

  const actions = side(page).getByRole('region', { name: 'Actions' });
  await expect(actions).toContainText('1 open');
  await actions.getByRole('button', { name: 'Reassign or re-date: purge the CDN cache' }).click();
  const dialog = page.getByRole('dialog', { name: 'Reassign or re-date an action' });
  await expect(dialog.getByLabel('Owner')).toBeFocused();
  await expectNoSeriousAxe(page, 'action dialog');
  await dialog.getByLabel('Owner').fill('Kenji');
  const due = new Date(Math.floor((Date.now() + 2 * 3600_000) / 60_000) * 60_000);
  await dialog.getByLabel('No due time').uncheck();
  await dialog.getByLabel(`Due at (${ZONE})`).fill(toZonedInput(due, ZONE));
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(actions.getByRole('listitem')).toContainText('Kenji');
  await expect(actions.getByRole('listitem').locator('time')).toHaveAttribute('datetime', due.toISOString());

  // From the keyboard: the Done button goes with the open state, and focus moves to Reopen.
  await actions.getByRole('button', { name: 'Mark done: purge the CDN cache' }).focus();
  await page.keyboard.press('Enter');
  await expect(actions).toContainText('0 open');
  await expect(actions.getByRole('listitem')).toContainText('done');
  await expect(actions.getByRole('button', { name: 'Reopen action: purge the CDN cache' })).toBeFocused();
  await expect(timelineOf(page)).toContainText('Action marked done');

  const hypotheses = side(page).getByRole('region', { name: 'Hypotheses' });
  await hypotheses.getByRole('button', { name: 'Rule out hypothesis: a bad TLS certificate' }).click();
  await hypotheses.getByRole('button', { name: 'Confirm hypothesis: the origin is overloaded' }).click();
  await expect(hypotheses).toContainText('0 open');
  await expect(hypotheses.getByRole('listitem').filter({ hasText: 'a bad TLS certificate' })).toContainText('ruled out');
  await expect(hypotheses.getByRole('listitem').filter({ hasText: 'the origin is overloaded' })).toContainText('confirmed');
  await expect(timelineOf(page)).toContainText('Hypothesis ruled-out');

  const shown = JSON.parse(conn(cockpit.dataDir, '--json', 'show', await refOf(page))) as {
    actions: Array<{ owner: string; due: string; state: string }>;
    hypotheses: Array<{ text: string; state: string }>;
  };
  expect(shown.actions).toMatchObject([{ owner: 'Kenji', due: due.toISOString(), state: 'done' }]);
  expect(Object.fromEntries(shown.hypotheses.map((h) => [h.text, h.state]))).toEqual({ 'the origin is overloaded': 'confirmed', 'a bad TLS certificate': 'ruled-out' });

  // At 1024×700 the page does not scroll sideways and the composer stays on screen.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
  await expect(composer).toBeInViewport();
  await expect(page.getByRole('button', { name: 'Edit incident' })).toBeInViewport();
  await expectNoSeriousAxe(page, 'cockpit with actions and hypotheses (light)');

  const dark = await browser.newContext({ colorScheme: 'dark' });
  const darkPage = await dark.newPage();
  // The token is in the launch URL only (the page trades it for a cookie): open that, at this incident.
  await darkPage.goto(`${cockpit.url}${new URL(page.url()).hash}`);
  await expect(side(darkPage).getByRole('region', { name: 'Hypotheses' })).toContainText('ruled out');
  await expectNoSeriousAxe(darkPage, 'cockpit with actions and hypotheses (dark)');
  await dark.close();
});

test.describe('with a hub', () => {
  let hub: Hub;
  const dirs: string[] = [];
  const others: Cockpit[] = [];

  test.afterEach(async () => {
    await Promise.all([...others.map((c) => c.stop()), hub.stop()]);
    for (const d of [...dirs, hub.dataDir]) removeDir(d);
    others.length = 0;
    dirs.length = 0;
  });

  test("a refused hand-over of command shows the core's sentence in the dialog and changes nothing", async ({ page }) => {
    test.setTimeout(120_000);
    hub = await startHub();
    const ada = tempDir('ada');
    const bob = tempDir('bob');
    dirs.push(ada, bob);
    conn(ada, 'profile', '--name', 'Ada', '--tz', ZONE, '--hours', '00:00-23:59');
    conn(bob, 'profile', '--name', 'Bob', '--tz', ZONE, '--hours', '00:00-23:59');
    conn(ada, 'connect', hub.url, '--token', hub.invite('Ada', 'admin'));
    conn(bob, 'connect', hub.url, '--token', hub.invite('Bob', 'member'));
    const ref = conn(ada, 'declare', 'Queue consumers stalled', '--sev', '2').trim();
    conn(ada, 'sync');
    // Bob's cockpit learns the incident, and that the hub knows him as a member.
    conn(bob, 'sync');

    const bobs = await startCockpit('Bob', { dataDir: bob });
    others.push(bobs);
    await page.goto(bobs.url);
    await page.getByRole('button', { name: /Queue consumers stalled/ }).click();
    await expect(rosterRow(page, 'commander')).toContainText('Ada (declarer)');

    await roster(page).getByRole('button', { name: 'Assign commander', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: /^Assign the commander role on INC-/ });
    await dialog.getByLabel('Person').fill('Bob');
    await dialog.getByLabel('Person').press('Enter');
    await expect(dialog.getByRole('alert')).toHaveText("only the incident's commander (Ada) or a team admin can hand over the commander role");
    await expect(dialog.getByLabel('Person')).toHaveValue('Bob');
    await expectNoSeriousAxe(page, 'refused assignment');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();

    // Nothing changed: not on screen, not in the timeline, not in the core; said once, in the dialog.
    await expect(rosterRow(page, 'commander')).toContainText('Ada (declarer)');
    await expect(page.getByRole('alert')).toHaveCount(0);
    await expect(timelineOf(page)).not.toContainText('Bob is commander');
    expect(JSON.parse(conn(bob, '--json', 'show', ref)).roles).toEqual({});

    // What a member may do, Bob does: take a free role himself.
    await roster(page).getByRole('button', { name: 'Assign scribe', exact: true }).click();
    const scribe = page.getByRole('dialog', { name: /^Assign the scribe role on INC-/ });
    await scribe.getByLabel('Person').fill('Bob');
    await scribe.getByLabel('Person').press('Enter');
    await expect(scribe).toBeHidden();
    await expect(rosterRow(page, 'scribe')).toContainText('Bob');
  });
});
