import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { declareIncident, timelineOf, write } from './cockpit-actions.js';
import { removeDir, startCockpit, type Cockpit } from './conn-processes.js';

let cockpit: Cockpit;

test.beforeAll(async () => {
  cockpit = await startCockpit('Dana');
});

test.afterAll(async () => {
  await cockpit.stop();
  removeDir(cockpit.dataDir);
});

/** Relative luminance of a CSS rgb() colour, 0 (black) to 1 (white). */
function luminance(rgb: string): number {
  const [r, g, b] = (rgb.match(/\d+(\.\d+)?/g) ?? ['0', '0', '0']).slice(0, 3).map((c) => {
    const v = Number(c) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

const background = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

async function openAnIncident(page: Page, title: string) {
  await declareIncident(page, title);
  await write(page, 'Checking the **load balancer** logs');
  await expect(timelineOf(page)).toContainText('load balancer');
}

async function themed(browser: Browser, colorScheme: 'light' | 'dark'): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await browser.newContext({ colorScheme });
  const page = await context.newPage();
  await page.goto(cockpit.url);
  await expect(page.getByRole('button', { name: 'Declare incident' })).toBeVisible();
  return { page, close: () => context.close() };
}

test('the dark theme follows the OS: a dark background with light text', async ({ browser }) => {
  const { page, close } = await themed(browser, 'dark');
  expect(luminance(await background(page))).toBeLessThan(0.05);
  expect(luminance(await page.evaluate(() => getComputedStyle(document.body).color))).toBeGreaterThan(0.6);
  await close();
});

test('the light theme follows the OS: a light background', async ({ browser }) => {
  const { page, close } = await themed(browser, 'light');
  expect(luminance(await background(page))).toBeGreaterThan(0.8);
  await close();
});

for (const scheme of ['light', 'dark'] as const) {
  test(`axe finds no serious or critical violation on the list, the declare dialog and the cockpit (${scheme})`, async ({ browser }) => {
    const context = await browser.newContext({ colorScheme: scheme });
    const page = await context.newPage();
    const check = async (where: string) => {
      const result = await new AxeBuilder({ page }).analyze();
      const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(bad.map((v) => `${where}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    };
    await page.goto(cockpit.url);
    await expect(page.getByRole('status', { name: 'Sync status' })).toBeVisible();
    await check('incident list');
    await page.getByRole('button', { name: 'Declare incident' }).click();
    await expect(page.getByLabel('Title')).toBeFocused();
    await check('declare dialog');
    await page.keyboard.press('Escape');
    await openAnIncident(page, `Accessibility check ${scheme}`);
    await check('cockpit');
    await context.close();
  });
}
