/*
 * Regenerates the README's screenshots of "While you were away" and of a call's published minutes
 * (docs/screenshots/digest.png, minutes.png) from real cockpits and a real hub: Priya in Berlin
 * runs the night's call and hands command to Mei in Kolkata, who opens the app in the morning.
 *   node --import tsx test/e2e/take-digest-screenshots.ts
 * Not a spec: it writes tracked files, so it runs only when someone asks for it.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { conn, removeDir, startCockpit, startHub, tempDir } from './conn-processes.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const hub = await startHub();
const [priya, mei] = [tempDir('priya'), tempDir('mei')];
conn(priya, 'profile', '--name', 'Priya Raman', '--tz', 'Europe/Berlin', '--hours', '08:00-18:00');
// Mei's hours start later than now, so what was handed to her overnight is marked as such.
conn(mei, 'profile', '--name', 'Mei Tanaka', '--tz', 'Asia/Kolkata', '--hours', '10:00-18:00');
conn(priya, 'connect', hub.url, '--token', hub.invite('Priya Raman'));
conn(mei, 'connect', hub.url, '--token', hub.invite('Mei Tanaka'));
conn(mei, 'sync');

const json = <T>(dir: string, ...args: string[]) => JSON.parse(conn(dir, '--json', ...args)) as T;
const { ref } = json<{ ref: string }>(priya, 'declare', 'Checkout returns 502 for EU customers', '--sev', '1', '--service', 'checkout-api');
conn(priya, 'status', ref, 'investigating');
conn(priya, 'role', ref, 'comms', 'Jonas Berg');
conn(priya, 'hypothesis', ref, 'The connection-pool limit in v412 starves the EU region');
const call = json<{ id: string }>(priya, 'call', 'start', ref, '--title', 'EU checkout bridge', '--bridge', 'https://meet.example.com/eu-checkout');
for (const person of ['Priya Raman', 'Jonas Berg', 'Luca Bianchi']) conn(priya, 'attendee', ref, call.id, person);
conn(priya, 'decision', ref, 'Roll back checkout-api to v411 in EU; keep US on v412 while we watch it.');
conn(priya, 'action', ref, 'Open a ticket with the DB vendor about the pool limits', '--owner', 'Mei Tanaka');
conn(priya, 'status', ref, 'identified');
conn(priya, 'call', 'end', ref, call.id);
conn(priya, 'minutes', ref, '--call', call.id, '--publish');
conn(priya, 'handoff', 'offer', ref, '--to', 'Mei Tanaka');
conn(priya, 'sync');
conn(mei, 'sync');

const cockpit = await startCockpit('Mei Tanaka', { dataDir: mei, hub: { url: hub.url, token: hub.invite('Mei Tanaka') } });
const chromiumPath = execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
try {
  const context = await browser.newContext({ timezoneId: 'Asia/Kolkata', viewport: { width: 1360, height: 1000 } });
  const page = await context.newPage();
  await page.goto(cockpit.url);
  const digest = page.getByRole('region', { name: 'While you were away' });
  await digest.getByRole('region', { name: 'Minutes published' }).waitFor({ timeout: 30_000 });
  await page.screenshot({ path: path.join(root, 'docs/screenshots/digest.png') });
  const minutes = digest.getByRole('region', { name: 'Minutes published' });
  await minutes.getByText('Read the minutes').click();
  // The section and a margin of its panel, so it reads as the card it sits on.
  const box = (await minutes.boundingBox())!;
  await page.setViewportSize({ width: 1360, height: Math.ceil(box.y + box.height + 40) });
  await page.screenshot({ path: path.join(root, 'docs/screenshots/minutes.png'), clip: { x: box.x - 12, y: box.y - 12, width: box.width + 24, height: box.height + 24 } });
  await context.close();
} finally {
  await browser.close();
  await cockpit.stop();
  await hub.stop();
  for (const d of [priya, mei, hub.dataDir]) removeDir(d);
}
console.log('wrote docs/screenshots/digest.png and minutes.png');
