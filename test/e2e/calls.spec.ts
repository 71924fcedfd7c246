import { expect, test, type Browser, type Page } from '@playwright/test';
import { declareIncident } from './cockpit-actions.js';
import { conn, removeDir, startCockpit, startHub, tempDir, type Cockpit, type Hub } from './conn-processes.js';

/*
 * Calls and their minutes, in Chromium against two `conn web` cockpits and a real hub: Alice in
 * Los Angeles starts a call from the call bar (by keyboard), Bob in Kolkata opens the incident
 * and is on the call by presence, a phone joiner is added by name, the call ends (after a
 * confirmation) with its minutes drafted, edited, published, and read by Bob in his own zone.
 * Then a call planned from the planner shows in both call bars and tells Bob when it starts.
 */

let hub: Hub;
let alice: Cockpit;
let bob: Cockpit;

async function cockpitIn(name: string, zone: string): Promise<Cockpit> {
  const dataDir = tempDir(name.toLowerCase());
  conn(dataDir, 'profile', '--name', name, '--tz', zone, '--hours', '09:00-17:00');
  return startCockpit(name, { dataDir, hub: { url: hub.url, token: hub.invite(name) } });
}

test.beforeEach(async () => {
  hub = await startHub();
  alice = await cockpitIn('Alice', 'America/Los_Angeles');
  bob = await cockpitIn('Bob', 'Asia/Kolkata');
});
test.afterEach(async () => {
  await Promise.all([alice.stop(), bob.stop(), hub.stop()]);
  for (const d of [alice.dataDir, bob.dataDir, hub.dataDir]) removeDir(d);
});

async function open(browser: Browser, url: string, opts: { fakeClock?: boolean } = {}): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  if (opts.fakeClock) await page.clock.install();
  await page.goto(url);
  await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('Online', { timeout: 45_000 });
  return page;
}

const onCall = (page: Page) => page.getByRole('status', { name: 'On the call' });

test('a call from the call bar: attendance by presence and by name, ended with minutes to edit, publish and read in each zone', async ({ browser }) => {
  test.setTimeout(300_000);
  const a = await open(browser, alice.url);
  const b = await open(browser, bob.url);
  await declareIncident(a, 'Checkout returns 502');

  // Start the call by keyboard: the bar's button, then the dialog's fields and Enter.
  const start = a.getByRole('region', { name: 'Call' }).getByRole('button', { name: 'Start call' });
  await start.focus();
  await a.keyboard.press('Enter');
  await expect(a.getByRole('heading', { name: /Start a call on INC-/ })).toBeVisible();
  await expect(a.getByLabel('What it is for (optional)')).toBeFocused();
  await a.keyboard.type('Checkout bridge');
  await a.keyboard.press('Tab');
  await a.keyboard.type('https://meet.example.com/checkout');
  await a.keyboard.press('Enter');
  await expect(a.getByText('Checkout bridge running')).toBeVisible();
  await expect(a.getByText('Bridge: https://meet.example.com/checkout')).toBeVisible();
  // Alice is on the incident through the hub: her cockpit records her.
  await expect(onCall(a)).toHaveText('On the call: Alice');

  // Bob opens the incident: his own cockpit records him, and Alice's bar shows him.
  await b.getByRole('button', { name: /Checkout returns 502/ }).click();
  await expect(onCall(a)).toHaveText('On the call: Alice, Bob', { timeout: 15_000 });
  await expect(onCall(b)).toHaveText('On the call: Alice, Bob');
  await expect(b.getByText(/Checkout bridge running \d/)).toBeVisible();

  // Someone on the phone, added by name; an empty name is refused in the dialog.
  await a.getByRole('button', { name: 'Add person' }).click();
  await a.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(a.getByRole('alert').filter({ hasText: 'Type the name of who joined.' })).toBeVisible();
  // The profile dialog (closed) has a Name field too: this one is the open dialog's.
  const addName = a.getByRole('dialog').filter({ has: a.getByRole('button', { name: 'Add', exact: true }) }).getByLabel('Name');
  await addName.fill('Dee (phone)');
  await addName.press('Enter');
  await expect(onCall(a)).toHaveText('On the call: Alice, Bob, Dee (phone)');

  // Bob leaves; Join brings him back only when he asks.
  await b.getByRole('button', { name: 'Leave' }).click();
  await expect(onCall(a)).toHaveText('On the call: Alice, Dee (phone)', { timeout: 15_000 });
  await expect(b.getByRole('button', { name: 'Join' })).toBeVisible();

  // End call asks first; keeping it running changes nothing.
  await a.getByRole('button', { name: 'End call' }).click();
  await expect(a.getByRole('heading', { name: 'End the call for everyone?' })).toBeVisible();
  await expect(a.getByRole('button', { name: 'Keep it running' })).toBeFocused();
  await a.keyboard.press('Enter');
  await expect(a.getByText('Checkout bridge running')).toBeVisible();
  await a.getByRole('button', { name: 'End call' }).click();
  await a.getByRole('dialog').getByRole('button', { name: 'End call' }).click();

  // The draft minutes, rendered: headings, attendees, the state at both ends.
  const minutes = a.getByRole('dialog');
  await expect(minutes.getByRole('heading', { name: 'Minutes of Checkout bridge' })).toBeFocused();
  await expect(minutes.getByRole('status')).toContainText('Draft by Alice');
  await expect(minutes.getByRole('status')).toContainText('Times in your zone (America/Los_Angeles).');
  await expect(minutes.getByRole('heading', { name: 'Attendees (3)' })).toBeVisible();
  await expect(minutes.getByRole('listitem').filter({ hasText: /^Dee \(phone\) \(joined/ })).toBeVisible();
  await expect(minutes.getByRole('cell', { name: 'At end' })).toBeVisible();
  await expect(minutes).toContainText('Times in America/Los_Angeles');

  // Edited, with a pasted <img onerror>: saved as a draft, rendered inert.
  await minutes.getByRole('button', { name: 'Edit' }).click();
  const box = minutes.getByLabel('Minutes (Markdown)');
  await box.fill(`${await box.inputValue()}\n\n## Notes\n- Dee will call the vendor <img src=x onerror="window.__pwned=1">`);
  await minutes.getByRole('button', { name: 'Save draft' }).click();
  await expect(minutes.getByRole('heading', { name: 'Notes' })).toBeVisible();
  await expect(minutes).toContainText('Dee will call the vendor');
  expect(await a.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await minutes.locator('img[onerror]').count()).toBe(0);

  // The commander publishes.
  await minutes.getByRole('button', { name: 'Publish' }).click();
  await expect(minutes.getByRole('status')).toContainText('Published by Alice');
  await expect(minutes.getByRole('button', { name: 'Publish' })).toHaveCount(0);
  await minutes.getByRole('button', { name: 'Close' }).click();
  // Focus is never dropped on the page: it goes back to the call bar's button or, by the
  // cockpit's keyboard model, to the timeline.
  await expect.poll(() => a.evaluate(() => document.activeElement !== document.body && document.activeElement !== null)).toBe(true);

  // Bob reads them: edited by a person, so as written, saying which zone the times are in.
  await expect(b.getByRole('button', { name: 'Minutes of the last call' })).toBeVisible({ timeout: 15_000 });
  await b.getByRole('button', { name: 'Minutes of the last call' }).click();
  const his = b.getByRole('dialog');
  await expect(his.getByRole('status')).toContainText('Published by Alice');
  await expect(his.getByRole('status')).toContainText('Edited minutes: times as written, in America/Los_Angeles.');
  await expect(his).toContainText('Dee will call the vendor');

  // Exported as Markdown, as `conn minutes REF --out FILE` does.
  const download = b.waitForEvent('download');
  await his.getByRole('button', { name: 'Export Markdown' }).click();
  expect((await download).suggestedFilename()).toMatch(/^minutes-INC-\w+-[0-9a-f]{8}\.md$/);
});

test('minutes nobody edited read in the reader\'s own zone', async ({ browser }) => {
  test.setTimeout(300_000);
  const a = await open(browser, alice.url);
  const b = await open(browser, bob.url);
  await declareIncident(a, 'Search is slow');
  await a.getByRole('button', { name: 'Start call' }).click();
  await a.getByRole('dialog').getByRole('button', { name: 'Start call' }).click();
  await expect(onCall(a)).toHaveText('On the call: Alice');
  await a.getByRole('button', { name: 'End call' }).click();
  await a.getByRole('dialog').getByRole('button', { name: 'End call' }).click();
  await expect(a.getByRole('dialog')).toContainText('Times in America/Los_Angeles');

  await b.getByRole('button', { name: /Search is slow/ }).click();
  await b.getByRole('button', { name: 'Minutes of the last call' }).click();
  const his = b.getByRole('dialog');
  await expect(his.getByRole('status')).toContainText('Draft by Alice');
  await expect(his.getByRole('status')).toContainText('Times in your zone (Asia/Kolkata).');
  await expect(his).toContainText('Times in Asia/Kolkata');
  await expect(his).toContainText(/Started \d{4}-\d\d-\d\d \d\d:\d\d GMT\+5:30/);
});

test('the planner proposes times on each attendee\'s clock; the planned call shows in both call bars and tells Bob when it starts', async ({ browser }) => {
  test.setTimeout(300_000);
  const a = await open(browser, alice.url);
  const b = await open(browser, bob.url, { fakeClock: true });
  await declareIncident(a, 'Payments failing');
  await b.getByRole('button', { name: /Payments failing/ }).click();

  await a.getByRole('button', { name: 'Plan a call' }).click();
  const planner = a.getByRole('dialog');
  await expect(planner.getByRole('heading', { name: /Plan a call on INC-/ })).toBeFocused();
  // Bob's profile came through the hub: his zone and hours.
  await planner.getByRole('checkbox', { name: /Bob \(Asia\/Kolkata, 09:00-17:00\)/ }).check({ timeout: 15_000 });
  await planner.getByLabel('Length').selectOption('45');
  await planner.getByLabel('What it is for (optional)').fill('Payments follow-up');
  // Nothing chosen yet: Schedule says what is missing and writes nothing.
  await planner.getByRole('button', { name: 'Schedule' }).click();
  await expect(planner.getByRole('alert')).toHaveText('Choose one of the proposed times.');

  const slots = planner.getByRole('radio');
  await expect(slots).toHaveCount(5);
  const first = planner.locator('ol.slots > li').first();
  await expect(first).toContainText(/Alice: \d{4}-\d\d-\d\d \d\d:\d\d P[SD]T/);
  await expect(first).toContainText(/Bob: \d{4}-\d\d-\d\d \d\d:(00|30) GMT\+5:30/);
  await slots.first().check();
  await planner.getByRole('button', { name: 'Schedule' }).click();
  await expect(planner).toBeHidden();

  await expect(a.getByText(/^Next call: .+ \(45 min, Payments follow-up\) with Alice, Bob$/)).toBeVisible();
  await expect(b.getByText(/^Next call: .+ \(45 min, Payments follow-up\) with Alice, Bob$/)).toBeVisible({ timeout: 15_000 });
  await expect(b.getByRole('listitem').filter({ hasText: /Call planned: Payments follow-up/ })).toBeVisible();

  // Bob's window asks for planned calls every 30 s; then, at the planned time, it tells him.
  const alerts = b.getByRole('alert', { name: 'Planned calls starting' });
  // Empty, the region is out of the way (display: none) until a call starts.
  await expect(b.locator('.planned-call-alerts')).toBeEmpty();
  await b.clock.fastForward(31_000);
  await b.waitForTimeout(2000);
  const at = await a.evaluate(() => document.querySelector('.call-next time')?.getAttribute('datetime') ?? '');
  const until = Date.parse(at) - (await b.evaluate(() => Date.now()));
  expect(until).toBeGreaterThan(0);
  await b.clock.fastForward(until + 1000);
  await expect(alerts).toContainText('Planned call starting: Payments follow-up on INC-');
  await alerts.getByRole('button', { name: 'Dismiss' }).click();
  await expect(b.locator('.planned-call-alerts')).toBeEmpty();
});
