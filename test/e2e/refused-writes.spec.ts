import { expect, test } from '@playwright/test';
import { timelineOf } from './cockpit-actions.js';
import { conn, removeDir, startCockpit, startHub, tempDir, type Cockpit, type Hub } from './conn-processes.js';

/*
 * Honest optimism, as a person sees it: Bob was commander when he went offline and redacted
 * Ada's note; meanwhile Ada (an admin) took command back. When Bob's cockpit syncs, the hub
 * refuses the redaction. Bob's screen must show it refused, with the hub's reason, and the
 * note's words back; Ada's screen must never have lost them.
 */

let hub: Hub;
const cockpits: Cockpit[] = [];
const dirs: string[] = [];

test.afterEach(async () => {
  await Promise.all([...cockpits.map((c) => c.stop()), hub.stop()]);
  for (const d of [...dirs, hub.dataDir]) removeDir(d);
  cockpits.length = 0;
  dirs.length = 0;
});

test('a redaction the hub refuses is shown refused with its reason, the words come back, and Discard drops it', async ({ browser }) => {
  test.setTimeout(120_000);
  hub = await startHub();
  const ada = tempDir('ada');
  const bob = tempDir('bob');
  dirs.push(ada, bob);
  conn(ada, 'profile', '--name', 'Ada', '--tz', 'Europe/Berlin', '--hours', '00:00-23:59');
  conn(bob, 'profile', '--name', 'Bob', '--tz', 'Europe/Berlin', '--hours', '00:00-23:59');
  conn(ada, 'connect', hub.url, '--token', hub.invite('Ada', 'admin'));
  conn(bob, 'connect', hub.url, '--token', hub.invite('Bob'));
  const ref = conn(ada, 'declare', 'Ledger writes failing', '--sev', '1').trim();
  conn(ada, 'note', ref, 'the ledger replica lag is 40 s');
  conn(ada, 'role', ref, 'commander', 'Bob');
  conn(ada, 'sync');
  conn(bob, 'sync');
  conn(ada, 'role', ref, 'commander', 'Ada');
  conn(ada, 'sync');
  const note = (JSON.parse(conn(bob, '--json', 'timeline', ref)) as Array<{ id: string; kind: string }>).find((r) => r.kind === 'note')!;
  // Offline, Bob still believes he is commander, so his cockpit lets the redaction through.
  conn(bob, 'redact', ref, note.id, '--reason', 'looks sensitive');

  const bobs = await startCockpit('Bob', { dataDir: bob });
  const adas = await startCockpit('Ada', { dataDir: ada });
  cockpits.push(bobs, adas);
  const page = await (await browser.newContext()).newPage();
  await page.goto(bobs.url);
  await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('Online', { timeout: 15_000 });
  await page.getByRole('button', { name: /Ledger writes failing/ }).click();
  const refusal = timelineOf(page).getByRole('note');
  await expect(refusal).toContainText('Refused by the hub', { timeout: 15_000 });
  await expect(refusal).toContainText("only a team admin, the commander (Ada) or the entry's author (Ada) can redact it");
  await expect(timelineOf(page)).toContainText('the ledger replica lag is 40 s');

  const adaPage = await (await browser.newContext()).newPage();
  await adaPage.goto(adas.url);
  await adaPage.getByRole('button', { name: /Ledger writes failing/ }).click();
  await expect(timelineOf(adaPage)).toContainText('the ledger replica lag is 40 s');
  await expect(timelineOf(adaPage).getByRole('note')).toHaveCount(0);

  await refusal.getByRole('button', { name: 'Discard' }).click();
  await expect(timelineOf(page).getByRole('note')).toHaveCount(0);
  await expect(timelineOf(page)).toContainText('the ledger replica lag is 40 s');
  expect(conn(bob, 'refused')).toMatch(/Nothing was refused/);
});
