import { expect, test, type Browser, type Page } from '@playwright/test';
import { removeDir, startCockpit, startHub, type Cockpit, type Hub } from './conn-processes.js';

/*
 * Alice and Bob, two data dirs, two `conn web` processes, one real hub: the same path their
 * entries take in production, minus the network between the machines. Started before each test
 * of the file that calls this and stopped after it; a test may replace `hub` (a restart).
 */
export interface TeamOfTwo {
  hub: Hub;
  alice: Cockpit;
  bob: Cockpit;
}

export function teamOfTwo(): TeamOfTwo {
  const team = {} as TeamOfTwo;
  test.beforeEach(async () => {
    team.hub = await startHub();
    team.alice = await startCockpit('Alice', { hub: { url: team.hub.url, token: team.hub.invite('Alice') } });
    team.bob = await startCockpit('Bob', { hub: { url: team.hub.url, token: team.hub.invite('Bob') } });
  });
  test.afterEach(async () => {
    await Promise.all([team.alice.stop(), team.bob.stop(), team.hub.stop()]);
    for (const d of [team.alice.dataDir, team.bob.dataDir, team.hub.dataDir]) removeDir(d);
  });
  return team;
}

/** A fresh browser context on a cockpit, once it says it is online. */
export async function openOnline(browser: Browser, url: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(url);
  await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('Online', { timeout: 15_000 });
  return page;
}
