import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { localClock } from '../../shared/time/zone.js';
import { declareIncident } from './cockpit-actions.js';
import { conn, removeDir, startCockpit, startHub, tempDir, type Cockpit, type Hub } from './conn-processes.js';

/*
 * Teammates' profiles in the roster: Alice in Kolkata and Bob in Berlin, two `conn web`
 * cockpits, one real hub. Bob's roster shows Alice's local time, whether she is inside her
 * working hours, and that she is online now.
 */

let hub: Hub;
let alice: Cockpit;
let bob: Cockpit;

test.beforeEach(async () => {
  hub = await startHub();
  // Alice's profile is set before her cockpit starts: its sync publishes it after the first subscribe.
  const aliceDir = tempDir('alice');
  conn(aliceDir, 'profile', '--name', 'Alice', '--tz', 'Asia/Kolkata', '--hours', '00:00-23:59');
  alice = await startCockpit('Alice', { dataDir: aliceDir, hub: { url: hub.url, token: hub.invite('Alice') } });
  bob = await startCockpit('Bob', { hub: { url: hub.url, token: hub.invite('Bob') } });
});

test.afterEach(async () => {
  await Promise.all([alice.stop(), bob.stop(), hub.stop()]);
  for (const d of [alice.dataDir, bob.dataDir, hub.dataDir]) removeDir(d);
});

async function openCockpit(browser: Browser, url: string, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const context = await browser.newContext({ colorScheme });
  const page = await context.newPage();
  await page.goto(url);
  await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('Online', { timeout: 15_000 });
  return page;
}

/** The clock in Kolkata now or a minute later: the roster may tick between the two reads. */
function kolkataClock(): RegExp {
  const now = Date.now();
  const [a, b] = [localClock(new Date(now), 'Asia/Kolkata'), localClock(new Date(now + 60_000), 'Asia/Kolkata')];
  return new RegExp(`(${a}|${b}) Asia/Kolkata · working hours`);
}

for (const scheme of ['light', 'dark'] as const) {
  test(`Bob's roster shows Alice's local time, her working hours and that she is online now (${scheme})`, async ({ browser }) => {
    const a = await openCockpit(browser, alice.url, scheme);
    const b = await openCockpit(browser, bob.url, scheme);
    await declareIncident(a, 'Payments queue backs up');

    await b.getByRole('button', { name: /Payments queue backs up/ }).click();
    await expect(b.getByRole('heading', { level: 1 })).toContainText('Payments queue backs up');
    const roster = b.getByRole('region', { name: 'Roles' });
    const commander = roster.getByRole('listitem').filter({ has: b.getByText('commander', { exact: true }) });
    await expect(commander).toContainText('Alice (declarer)');
    await expect(commander).toContainText(kolkataClock(), { timeout: 15_000 });
    // Alice's window shows the incident: presence marks her online.
    await expect(commander).toContainText('online now');

    // Readable and named in both themes (axe: contrast AA, names).
    const axe = await new AxeBuilder({ page: b }).include('.roster').analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

    // Alice leaves the incident: no longer online on it, her clock stays.
    await a.getByRole('button', { name: 'Incidents' }).click();
    await expect(commander).not.toContainText('online now');
    await expect(commander).toContainText('Asia/Kolkata');
  });
}
