import { expect, test, type Page } from '@playwright/test';
import { declareIncident, timelineOf, write } from './cockpit-actions.js';
import { startHub } from './conn-processes.js';
import { openOnline, teamOfTwo } from './team-of-two.js';

/*
 * Two people, two data dirs, two `conn web` processes, one real hub: the same path their
 * entries take in production, minus the network between the machines.
 */

const team = teamOfTwo();

test("two users in two browsers see each other's entries live", async ({ browser }) => {
  const a = await openOnline(browser, team.alice.url);
  const b = await openOnline(browser, team.bob.url);

  await declareIncident(a, 'Payments API latency over 5 s');
  await write(a, 'Alice: p99 is 5.4 s since 09:12');

  // Bob's list picks the incident up without a reload; he opens it.
  await b.getByRole('button', { name: /Payments API latency over 5 s/ }).click();
  await expect(timelineOf(b)).toContainText('Alice: p99 is 5.4 s since 09:12');

  await write(b, 'Bob: the connection pool is exhausted on db-2');
  await expect(timelineOf(a)).toContainText('Bob: the connection pool is exhausted on db-2');
  await write(a, 'Alice: failing over to db-3');
  await expect(timelineOf(b)).toContainText('Alice: failing over to db-3');
  await expect(timelineOf(b).getByRole('listitem').filter({ hasText: 'failing over' })).toContainText('Alice');
});

test('one user goes offline, keeps writing, comes back, and both converge', async ({ browser }) => {
  test.setTimeout(120_000);
  const a = await openOnline(browser, team.alice.url);
  const b = await openOnline(browser, team.bob.url);
  await declareIncident(a, 'Search index is stale');
  await b.getByRole('button', { name: /Search index is stale/ }).click();
  await expect(b.getByRole('heading', { level: 1 })).toContainText('Search index is stale');

  // The hub goes away: Bob's cockpit says so, and keeps every entry he writes.
  const hubPort = team.hub.port;
  await team.hub.stop();
  const bobStatus = b.getByRole('status', { name: 'Sync status' });
  await expect(bobStatus).toContainText('Offline', { timeout: 15_000 });
  await write(b, 'Bob (offline): reindex job is stuck at 40%');
  await write(b, 'Bob (offline): restarting the indexer');
  await expect(timelineOf(b)).toContainText('restarting the indexer');
  await expect(bobStatus).toContainText('2 pending');
  await write(a, 'Alice (offline): customers report missing results');

  // The hub comes back where the cockpits expect it; both drain and pull.
  team.hub = await startHub({ dataDir: team.hub.dataDir, port: hubPort });
  await expect(bobStatus).toContainText('Online', { timeout: 30_000 });
  await expect(bobStatus).not.toContainText('pending');
  await expect(a.getByRole('status', { name: 'Sync status' })).toContainText('Online', { timeout: 30_000 });
  for (const page of [a, b]) {
    await expect(timelineOf(page)).toContainText('reindex job is stuck at 40%', { timeout: 30_000 });
    await expect(timelineOf(page)).toContainText('restarting the indexer');
    await expect(timelineOf(page)).toContainText('customers report missing results', { timeout: 30_000 });
  }
  // Same entries in the same order on both screens.
  const rows = async (p: Page) => (await timelineOf(p).getByRole('listitem').allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
  await expect.poll(async () => JSON.stringify(await rows(a)) === JSON.stringify(await rows(b)), { timeout: 15_000 }).toBe(true);
});
