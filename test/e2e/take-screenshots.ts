/*
 * Regenerates the README's screenshots (docs/screenshots/cockpit-{light,dark}.png, the cockpit at
 * 1440×900 and 1024×700, the wall and the palette) from a real
 * `conn web` with a seeded incident:  node --import tsx test/e2e/take-screenshots.ts
 * Not a spec: it writes tracked files, so it runs only when someone asks for it.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { conn, removeDir, startCockpit, tempDir } from './conn-processes.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = tempDir('screenshots');
conn(dir, 'profile', '--name', 'Priya Raman', '--tz', 'Europe/Berlin', '--hours', '08:00-18:00');
const { id } = JSON.parse(conn(dir, '--json', 'declare', 'Checkout returns 502 for EU customers', '--sev', '1', '--service', 'checkout-api')) as { id: string };
conn(dir, '--json', 'declare', 'Search results stale by 20 minutes', '--sev', '3');
const steps: string[][] = [
  ['role', id, 'commander', 'Priya Raman'],
  ['role', id, 'comms', 'Jonas Berg'],
  ['role', id, 'ops', 'Mei Tanaka'],
  ['status', id, 'investigating'],
  ['note', id, 'Error rate on **checkout-api** jumped from 0.2% to 38% at 14:02, right after deploy `v412`.'],
  ['hypothesis', id, 'The new connection-pool limit in v412 starves the EU region'],
  ['note', id, 'Grafana: pool saturation 100% on `db-eu-2`, normal on `db-us-1`.'],
  ['decision', id, 'Roll back checkout-api to v411 in EU; keep US on v412 while we watch it.'],
  ['action', id, 'Open a ticket with the DB vendor about the pool limits', '--owner', 'Mei Tanaka'],
  ['status', id, 'identified'],
  ['note', id, 'Rollback finished at 14:19; error rate back to 0.3% and falling.'],
];
for (const s of steps) conn(dir, ...s);

const cockpit = await startCockpit('Priya Raman', { dataDir: dir });
const chromiumPath = execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
try {
  for (const scheme of ['light', 'dark'] as const) {
    const context = await browser.newContext({ colorScheme: scheme, viewport: { width: 1360, height: 820 } });
    const page = await context.newPage();
    await page.goto(`${cockpit.url}#/incident/${id}`);
    await page.getByRole('list', { name: 'Timeline' }).getByText('Rollback finished').waitFor();
    await page.getByRole('textbox', { name: 'Add to timeline' }).fill('Posting the stakeholder update now');
    await page.screenshot({ path: path.join(root, `docs/screenshots/cockpit-${scheme}.png`) });
    await context.close();
  }
  // Issue 13's sizes: a laptop and a small window, the wall across a room, the palette.
  const shots: Array<{ file: string; width: number; height: number; then?: (page: import('playwright-core').Page) => Promise<void> }> = [
    { file: 'cockpit-1440x900', width: 1440, height: 900 },
    { file: 'cockpit-1024x700', width: 1024, height: 700 },
    {
      file: 'wall',
      width: 1440,
      height: 900,
      then: async (page) => {
        await page.keyboard.press('Escape');
        await page.keyboard.press('w');
        await page.getByRole('heading', { name: /^Wall/ }).waitFor();
      },
    },
    {
      file: 'palette',
      width: 1440,
      height: 900,
      then: async (page) => {
        await page.keyboard.press('Control+k');
        await page.keyboard.type('status');
        await page.getByRole('option', { selected: true }).waitFor();
      },
    },
  ];
  for (const shot of shots) {
    const context = await browser.newContext({ colorScheme: 'light', viewport: { width: shot.width, height: shot.height } });
    const page = await context.newPage();
    await page.goto(`${cockpit.url}#/incident/${id}`);
    await page.getByRole('list', { name: 'Timeline' }).getByText('Rollback finished').waitFor();
    await shot.then?.(page);
    await page.screenshot({ path: path.join(root, `docs/screenshots/${shot.file}.png`) });
    await context.close();
  }
} finally {
  await browser.close();
  await cockpit.stop();
  removeDir(dir);
}
console.log('wrote docs/screenshots/cockpit-{light,dark,1440x900,1024x700}.png, wall.png and palette.png');
