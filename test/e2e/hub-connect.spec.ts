import { expect, test, type Browser, type Page } from '@playwright/test';
import { declareIncident, timelineOf, write } from './cockpit-actions.js';
import { removeDir, startCockpit, startHub, type Cockpit, type Hub } from './conn-processes.js';
import { paletteRun } from './keyboard.js';

/*
 * Connecting from the app while it runs: Alice starts `conn web` without a hub, connects through
 * the "Hub connection" dialog with her invite token, and Bob's entries then arrive live.
 */

let hub: Hub;
let alice: Cockpit;
let bob: Cockpit;

test.beforeEach(async () => {
  hub = await startHub();
  alice = await startCockpit('Alice');
  bob = await startCockpit('Bob', { hub: { url: hub.url, token: hub.invite('Bob') } });
});

test.afterEach(async () => {
  await Promise.all([alice.stop(), bob.stop(), hub.stop()]);
  for (const d of [alice.dataDir, bob.dataDir, hub.dataDir]) removeDir(d);
});

async function open(browser: Browser, url: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(url);
  return page;
}

test('an unconnected cockpit connects to a hub from the app and sees a teammate live', async ({ browser }) => {
  test.setTimeout(90_000);
  const a = await open(browser, alice.url);
  const status = a.getByRole('status', { name: 'Sync status' });
  await expect(status).toContainText('Local only', { timeout: 15_000 });

  // The indicator opens the dialog; Escape closes it and focus goes back to the indicator.
  const indicator = a.getByRole('button', { name: /hub connection/i });
  await indicator.click();
  const dialog = a.getByRole('dialog', { name: 'Hub connection' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Not connected');
  await expect(dialog.getByLabel('Hub URL')).toBeFocused();
  await a.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(indicator).toBeFocused();

  // A token the hub does not know: the core's reason is shown in the dialog.
  await indicator.press('Enter');
  await dialog.getByLabel('Hub URL').fill(hub.url);
  await dialog.getByLabel('Token').fill(`conn_00000000-0000-4000-8000-000000000000_${'x'.repeat(43)}`);
  await dialog.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(dialog.getByRole('alert')).toContainText('does not recognise this token', { timeout: 15_000 });

  // Her real invite token: online.
  await dialog.getByLabel('Token').fill(hub.invite('Alice'));
  await dialog.getByLabel('Token').press('Enter');
  await expect(dialog).toContainText(`Online: ${hub.url}`, { timeout: 15_000 });
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(status).toContainText('Online', { timeout: 15_000 });

  // Bob writes; Alice's cockpit picks it up without a reload.
  const b = await open(browser, bob.url);
  await expect(b.getByRole('status', { name: 'Sync status' })).toContainText('Online', { timeout: 15_000 });
  await declareIncident(b, 'Checkout returns 502 for EU');
  await write(b, 'Bob: the EU load balancer lost its pool');
  await a.getByRole('button', { name: /Checkout returns 502 for EU/ }).click({ timeout: 15_000 });
  await expect(timelineOf(a)).toContainText('Bob: the EU load balancer lost its pool', { timeout: 15_000 });
  await write(b, 'Bob: pool restored');
  await expect(timelineOf(a)).toContainText('Bob: pool restored', { timeout: 15_000 });

  // The palette opens the same dialog, showing the hub she is on now.
  await paletteRun(a, 'Connect to a hub…');
  await expect(dialog).toContainText(`Online: ${hub.url}`);
  await expect(dialog.getByLabel('Hub URL')).toHaveValue(hub.url);
  await a.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});
