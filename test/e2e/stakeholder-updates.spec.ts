import { expect, test } from '@playwright/test';
import { startReceiver, type Receiver } from '../hub/update-receiver.js';
import { declareIncident, timelineOf } from './cockpit-actions.js';
import { conn, removeDir, startCockpit, startHub, type Cockpit, type Hub } from './conn-processes.js';
import { paletteRun } from './keyboard.js';

/*
 * Posting a stakeholder update from the app: "Post update…" opens a draft from the incident's
 * state, the audience redrafts it, posting resets the countdown, the hub delivers it to a real
 * webhook receiver on loopback, and the timeline entry shows that it was delivered.
 */

// Three processes and a browser on a shared 2-core machine: give each test room.
test.setTimeout(120_000);

let hub: Hub;
let alice: Cockpit;
let rx: Receiver;

test.beforeEach(async () => {
  rx = await startReceiver();
  hub = await startHub();
  conn(hub.dataDir, 'hub', 'invite', 'Alice', '--team', 'sre', '--role', 'admin');
  conn(hub.dataDir, 'hub', 'channel', 'add', 'ops-hook', '--team', 'sre', '--kind', 'webhook', '--url', `${rx.url}/conn`, '--secret', 'e2e-secret-0123456789abcdef');
  alice = await startCockpit('Alice', { hub: { url: hub.url, token: hub.invite('Alice', 'admin') } });
});

test.afterEach(async () => {
  await Promise.all([alice.stop(), hub.stop(), rx.close()]);
  for (const d of [alice.dataDir, hub.dataDir]) removeDir(d);
});

test('an update posted from the app resets the countdown, is delivered by the hub, and the timeline says so', async ({ page }) => {
  await page.goto(alice.url);
  await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('Online', { timeout: 15_000 });
  await declareIncident(page, 'Checkout returns 502');
  const header = page.locator('header.cockpit-header');
  // SEV2 (the dialog's default): the first update is due 15 minutes after declaring.
  await expect(header).toContainText(/update in 1[45]m/);

  await paletteRun(page, 'Post update…');
  const dialog = page.getByRole('dialog', { name: /Post update for INC-/ });
  const text = dialog.getByRole('textbox', { name: 'Update' });
  await expect(text).toHaveValue(/^SEV2 INC-\w+: Checkout returns 502\nImpact: /);
  await expect(dialog).toContainText('the next update will be due');
  await dialog.getByRole('radio', { name: 'Customers' }).check();
  await expect(text).toHaveValue(/^We are seeing problems with Checkout returns 502\./);
  await text.fill('We are investigating failed checkouts. Next update within 30 minutes.');
  await dialog.getByRole('button', { name: 'Post update' }).click();
  await expect(dialog).toBeHidden();

  const entry = timelineOf(page).getByRole('listitem').filter({ hasText: 'We are investigating failed checkouts' });
  await expect(entry).toBeVisible();
  // Posting resets the countdown to the SEV2 cadence: 30 minutes from now.
  await expect(header).toContainText(/update in (29|30)m/);
  await expect(entry.getByRole('list', { name: 'Delivery' })).toContainText('ops-hook: delivered', { timeout: 20_000 });

  await rx.waitFor(1);
  const got = JSON.parse(rx.requests[0]!.body) as { update: { text: string; audience: string; author: string } };
  expect(got.update).toMatchObject({ text: 'We are investigating failed checkouts. Next update within 30 minutes.', audience: 'customers', author: 'Alice' });
  expect(rx.requests[0]!.headers['x-conn-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
  expect(rx.requests).toHaveLength(1);
});

test('the composer posts a quick update with Alt+5', async ({ page }) => {
  await page.goto(alice.url);
  await declareIncident(page, 'Search is slow');
  const box = page.getByRole('textbox', { name: 'Add to timeline' });
  await box.press('Alt+5');
  await expect(page.getByRole('radio', { name: 'Update' })).toBeChecked();
  await box.fill('Search latency is back to normal for most users');
  await box.press('Enter');
  await expect(timelineOf(page).getByRole('listitem').filter({ hasText: 'Search latency is back to normal' })).toContainText('Update');
  await expect(page.locator('header.cockpit-header')).toContainText(/update in (29|30)m/);
});
