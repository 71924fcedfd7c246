import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { conn, removeDir, startCockpit, type Cockpit } from './conn-processes.js';

/*
 * Runbooks in the cockpit (the library view and the incident's Runbooks panel), against a real
 * `conn web` whose library was seeded with resources/runbooks on first use.
 */

let cockpit: Cockpit;

test.beforeEach(async () => {
  cockpit = await startCockpit('Alice');
});

test.afterEach(async () => {
  await cockpit.stop();
  removeDir(cockpit.dataDir);
});

test('the library searches as you type, highlights matches, and renders a hostile runbook inert', async ({ page }) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'conn-e2e-rb-'));
  writeFileSync(
    path.join(dir, 'hostile.md'),
    '# Hostile runbook\n\n<script>window.__pwned = 1</script>\n<img src="x" onerror="window.__pwned = 2">\n\n[click me](javascript:window.__pwned=3)\n',
  );
  conn(cockpit.dataDir, 'runbook', 'import', dir);
  removeDir(dir);
  conn(cockpit.dataDir, 'breakglass', 'import', path.resolve('resources/runbooks/breakglass-template.yaml'));

  await page.goto(cockpit.url);
  await page.getByRole('button', { name: 'Runbooks' }).click();
  const box = page.getByRole('searchbox', { name: 'Search runbooks' });
  await expect(box).toBeFocused();
  // Before a runbook is chosen, the break-glass pack is on screen: contacts and bridges, offline.
  const breakglass = page.getByRole('region', { name: 'Break glass: payments' });
  await expect(breakglass).toContainText('Primary incident bridge');
  await expect(breakglass.getByRole('link', { name: '+1 555 0100' })).toHaveAttribute('href', 'tel:+15550100');
  await box.pressSequentially('failov');
  await box.type('*');
  const results = page.getByRole('list', { name: 'Runbooks' });
  await expect(results.getByRole('button').first()).toContainText('Fail over the primary PostgreSQL database');
  await expect(results.locator('mark').first()).toBeVisible();

  // Half-typed syntax is searched as text: a message at worst, never a crash or a blank page.
  await box.fill('"');
  await expect(page.getByRole('searchbox', { name: 'Search runbooks' })).toBeVisible();

  await box.fill('hostile');
  await results.getByRole('button', { name: /Hostile runbook/ }).click();
  const article = page.getByRole('article', { name: 'Hostile runbook' });
  await expect(article.getByText('click me')).toBeVisible();
  await expect(article.locator('[href^="javascript:" i]')).toHaveCount(0);
  await article.getByText('click me').click();
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await expect(article.locator('script, img[onerror]')).toHaveCount(0);
});

test('an IC attaches a suggested runbook and checks a step; the step is an event with who and when', async ({ page }) => {
  const { id, ref } = JSON.parse(conn(cockpit.dataDir, '--json', 'declare', 'Payments database primary down', '--sev', '1', '--service', 'payments-db')) as { id: string; ref: string };
  await page.goto(`${cockpit.url}#/incident/${id}`);
  const panel = page.getByRole('region', { name: 'Runbooks' });
  await panel.getByRole('button', { name: 'Attach runbook Fail over the primary PostgreSQL database' }).click();
  await expect(panel.getByRole('heading', { name: /database-failover/ })).toContainText('0/9 done');

  const first = panel.getByRole('checkbox', { name: /Confirm the primary is really down/ });
  await first.check();
  await expect(first).toBeChecked();
  await expect(panel.getByRole('heading', { name: /database-failover/ })).toContainText('1/9 done');

  const steps = JSON.parse(conn(cockpit.dataDir, '--json', 'runbook', 'steps', ref)) as Array<{ steps: Array<{ done: boolean; by: string | null; at: string | null }> }>;
  expect(steps[0]?.steps[0]).toMatchObject({ done: true, by: 'Alice' });
  expect(steps[0]?.steps[0]?.at).toMatch(/^\d{4}-/);
});

test('a large library scrolls without a row per runbook in the page, and clearing the search brings it back', async ({ page }) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'conn-e2e-rb-many-'));
  for (let i = 0; i < 1500; i++) {
    const n = String(i).padStart(4, '0');
    writeFileSync(path.join(dir, `bulk-${n}.md`), `---\ntitle: Bulk runbook ${n}\n---\nRestart the ${i % 10 === 0 ? 'kafka' : 'web'} service.\n`);
  }
  conn(cockpit.dataDir, 'runbook', 'import', dir);
  removeDir(dir);

  await page.goto(cockpit.url);
  await page.getByRole('button', { name: 'Runbooks' }).click();
  const results = page.getByRole('list', { name: 'Runbooks' });
  await expect(results.getByRole('listitem').first()).toContainText('Bulk runbook 0000');
  // Virtualised: a screenful of rows, not 1,500 (plus the shipped examples).
  expect(await results.getByRole('listitem').count()).toBeLessThan(80);
  await page.locator('.runbook-results-scroll').evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(results.getByRole('button', { name: /Bulk runbook 1499/ })).toBeVisible();

  const box = page.getByRole('searchbox', { name: 'Search runbooks' });
  await box.fill('kafka');
  await expect(results.getByRole('listitem').first()).toContainText(/Bulk runbook \d+/);
  await expect(results.getByRole('listitem').first().locator('mark')).toHaveText(/kafka/i);
  await box.fill('');
  await expect(results.getByRole('listitem').first()).toContainText('Bulk runbook 0000');
});
