import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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

test("the countdown follows the team's cadence, shown in the Post update dialog, and moves when an admin changes it", async ({ page }) => {
  // Set on the hub's machine before the cockpit connects: SEV2's first update within 5 minutes.
  conn(hub.dataDir, 'hub', 'cadence', 'set', '--team', 'sre', 'SEV2=5m');
  await alice.stop();
  alice = await startCockpit('Alice', { dataDir: alice.dataDir });
  await page.goto(alice.url);
  await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('Online', { timeout: 15_000 });
  await declareIncident(page, 'Payments time out');
  const header = page.locator('header.cockpit-header');
  await expect(header).toContainText(/update in [45]m/);

  await paletteRun(page, 'Post update…');
  const dialog = page.getByRole('dialog', { name: /Post update for INC-/ });
  await dialog.getByText("Update cadence: the team's setting").click();
  const table = dialog.getByRole('table', { name: 'Stakeholder-update cadence by severity' });
  await expect(table.getByRole('row', { name: /SEV2/ })).toContainText('every 5m (default: first within 15m, then every 30m)');
  await expect(table.getByRole('row', { name: /SEV1/ })).toContainText('first within 5m, then every 20m');
  await expect(dialog).toContainText('set by hub operator');
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // Another admin changes it through the hub: Alice's open cockpit hears the hub's notice.
  const bo = cockpitDir('Bo');
  conn(bo, 'connect', hub.url, '--token', hub.invite('Bo', 'admin'));
  conn(bo, 'cadence', 'set', 'SEV2=20m');
  await expect(header).toContainText(/update in (19|20)m/, { timeout: 15_000 });
  removeDir(bo);
});

/** A cockpit's data dir with its profile, for `conn` commands only. */
function cockpitDir(name: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `conn-e2e-${name.toLowerCase()}-`));
  conn(dir, 'profile', '--name', name, '--tz', 'UTC');
  return dir;
}
