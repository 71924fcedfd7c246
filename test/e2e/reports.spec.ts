import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { toZonedInput } from '../../renderer/time/zoned-input.js';
import { conn, removeDir, startCockpit, type Cockpit } from './conn-processes.js';

/*
 * The Reports view against a real `conn web`: three incidents on two services, worked to
 * resolution from the CLI with back-dated milestones, then read in the app: the charts, the
 * same numbers in tables, the period, the SLO, and both themes.
 */

let cockpit: Cockpit;
const MIN = 60_000;
// Each test reads the core through the CLI too; on a loaded 2-core machine that takes seconds.
test.describe.configure({ timeout: 120_000 });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  cockpit = await startCockpit('Dana');
  const base = Math.floor(Date.now() / MIN) * MIN - 3 * 60 * MIN;
  const at = (min: number) => new Date(base + min * MIN).toISOString();
  const work = (title: string, sev: string, service: string, milestones: Array<[string, number]>, status: string) => {
    const ref = conn(cockpit.dataDir, 'declare', title, '--sev', sev, '--service', service).trim();
    for (const [m, min] of milestones) conn(cockpit.dataDir, 'milestone', ref, m, at(min));
    conn(cockpit.dataDir, 'status', ref, status);
  };
  work('Checkout returns 502', '1', 'checkout', [['detected', 0], ['acknowledged', 5], ['mitigated', 30], ['resolved', 60]], 'resolved');
  work('Payments time out', '2', 'payments', [['detected', 60], ['acknowledged', 62], ['mitigated', 80], ['resolved', 90]], 'resolved');
  work('Checkout is slow', '3', 'checkout', [['detected', 100]], 'monitoring');
});

test.afterAll(async () => {
  await cockpit.stop();
  removeDir(cockpit.dataDir);
});

async function themedPage(browser: Browser, colorScheme: 'light' | 'dark'): Promise<{ page: Page; cspErrors: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext({ colorScheme });
  const page = await context.newPage();
  const cspErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
  });
  await page.goto(cockpit.url);
  await expect(page.getByRole('status', { name: 'Sync status' })).toBeVisible();
  return { page, cspErrors, close: () => context.close() };
}

const byService = (page: Page) => page.getByRole('table', { name: 'Times by service' });

test('the top bar opens Reports: MTTx per service and severity in charts and tables, with hand-set milestones', async ({ browser }) => {
  const { page, cspErrors, close } = await themedPage(browser, 'light');
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Reports' }).click();
  await expect(page.getByRole('heading', { name: 'Reports', level: 2 })).toBeVisible();
  await expect(page.getByText('3 incidents declared in the last 30 days, 1 still open.')).toBeVisible();
  // The numbers the CLI prints for the same period, from the same core.
  await expect(byService(page).getByRole('row', { name: 'payments Time to acknowledge 2m 0s 2m 0s 2m 0s 1 of 1' })).toBeVisible();
  await expect(byService(page).getByRole('row', { name: 'checkout Time to resolve 1h 0m 1h 0m 1h 0m 1 of 2' })).toBeVisible();
  const severities = page.getByRole('table', { name: 'Times by severity' });
  await expect(severities.getByRole('row', { name: 'SEV2 Time to mitigate 20m 0s 20m 0s 20m 0s 1 of 1' })).toBeVisible();
  await expect(severities.getByRole('row', { name: /^SEV3 Time to detect 0s/ })).toBeVisible();
  const report = JSON.parse(conn(cockpit.dataDir, 'report', '--format', 'json')) as { byService: Array<{ key: string; measures: { acknowledge: { medianMs: number } } }> };
  expect(report.byService.find((g) => g.key === 'payments')!.measures.acknowledge.medianMs).toBe(2 * MIN);
  // Three charts, each a drawn canvas behind a label that points at its table.
  for (const name of [/median times per service/, /median times per severity/, /incidents declared per week/]) {
    await expect(page.getByRole('img', { name }).locator('canvas').first()).toBeVisible();
  }
  await expect(page.getByRole('table', { name: /Uptime per service/ }).getByRole('row', { name: /^checkout 99\.931% 99\.9% 30m 0s 1 31% \(13m 12s of 43m 12s\)$/ })).toBeVisible();
  expect(cspErrors).toEqual([]);
  await close();
});

test('the palette reaches Reports, and the period changes what is counted', async ({ browser }) => {
  const { page, close } = await themedPage(browser, 'light');
  await page.keyboard.press('Control+k');
  await page.keyboard.type('reports');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Reports', level: 2 })).toBeVisible();
  await page.getByLabel('Period').selectOption('7');
  await expect(page.getByText('3 incidents declared in the last 7 days, 1 still open.')).toBeVisible();
  await expect(page.getByRole('table', { name: /Incidents declared per week/ }).getByRole('row')).toHaveCount(1 + 1);
  await page.getByLabel('Period').selectOption('90');
  await expect(page.getByRole('table', { name: /Incidents declared per week/ }).getByRole('row')).toHaveCount(1 + 13);
  await close();
});

test('the view says whose SLO it measures against; a target out of range is refused with the core\'s sentence, and without a hub nothing changes', async ({ browser }) => {
  const { page, close } = await themedPage(browser, 'light');
  await page.getByRole('button', { name: 'Reports' }).click();
  const uptime = page.getByRole('table', { name: /Uptime per service/ });
  await expect(uptime.getByRole('row', { name: /^payments .* 99\.9% / })).toBeVisible();
  await expect(page.getByTestId('slo-source')).toHaveText("Measured against Conn's default SLO: the team has not set one (this cockpit has not heard from a hub yet).");
  const target = page.getByLabel('Target for every service (%)');
  await target.fill('120');
  await page.getByRole('button', { name: "Save the team's SLO" }).click();
  await expect(page.getByRole('alert')).toContainText('an SLO target is at most 100%');
  await expect(uptime.getByRole('row', { name: /^payments .* 99\.9% / })).toBeVisible();
  expect(JSON.parse(conn(cockpit.dataDir, 'slo', '--json'))).toMatchObject({ source: 'defaults', slo: { targetPercent: 99.9 } });
  // The SLO is the team's, kept on the hub (test/sync/team-settings.test.ts sets it through one): this cockpit has none.
  await target.fill('99.5');
  await page.getByRole('button', { name: "Save the team's SLO" }).click();
  await expect(page.getByRole('alert')).toContainText("the team's SLO is kept on the hub, and this cockpit is not connected to one");
  await expect(uptime.getByRole('row', { name: /^payments .* 99\.9% / })).toBeVisible();
  expect(JSON.parse(conn(cockpit.dataDir, 'slo', '--json'))).toMatchObject({ source: 'defaults', slo: { targetPercent: 99.9 } });
  await close();
});

test('the milestone dialog refuses a time out of order with the other milestones, naming it, and saves nothing', async ({ browser }) => {
  const { id, ref } = JSON.parse(conn(cockpit.dataDir, '--json', 'declare', 'Search is down', '--sev', '2', '--service', 'search')) as { id: string; ref: string };
  const acknowledged = new Date(Math.floor(Date.now() / MIN) * MIN - 30 * MIN);
  const detected = new Date(acknowledged.getTime() - 40 * MIN);
  conn(cockpit.dataDir, 'milestone', ref, 'detected', detected.toISOString());
  conn(cockpit.dataDir, 'milestone', ref, 'acknowledged', acknowledged.toISOString());
  const { page, close } = await themedPage(browser, 'light');
  await page.goto(`${cockpit.url}#/incident/${id}`);
  await page.getByRole('button', { name: 'Set Detected time' }).click();
  const dialog = page.getByRole('dialog', { name: /^Set “Detected” on INC-/ });
  const input = dialog.getByLabel('Detected at (Europe/Berlin)');
  await input.fill(toZonedInput(new Date(acknowledged.getTime() + 10 * MIN), 'Europe/Berlin'));
  await input.press('Enter');
  await expect(dialog.getByRole('alert')).toContainText('would come after acknowledged');
  await expect(dialog.getByRole('alert')).toContainText('give a time at or before it, or set acknowledged first');
  const shown = JSON.parse(conn(cockpit.dataDir, '--json', 'show', ref)) as { milestones: Record<string, string | null> };
  expect(shown.milestones['detectedAt']).toBe(detected.toISOString());
  // Before acknowledgement it is saved, and the report measures from it.
  await input.fill(toZonedInput(new Date(acknowledged.getTime() - 10 * MIN), 'Europe/Berlin'));
  await input.press('Enter');
  await expect(dialog).toBeHidden();
  const after = JSON.parse(conn(cockpit.dataDir, '--json', 'show', ref)) as { milestones: Record<string, string | null> };
  expect(Date.parse(after.milestones['acknowledgedAt']!) - Date.parse(after.milestones['detectedAt']!)).toBe(10 * MIN);
  await close();
});

/** WCAG contrast ratio of two CSS colours the page resolves. */
function contrastIn(page: Page, fg: string, bg: string): Promise<number> {
  return page.evaluate(
    ([a, b]) => {
      const probe = document.createElement('div');
      document.body.append(probe);
      const lum = (css: string) => {
        probe.style.color = css;
        const [r, g, bl] = (getComputedStyle(probe).color.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((c) => {
          const v = Number(c) / 255;
          return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
        }) as [number, number, number];
        return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
      };
      const [l1, l2] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
      probe.remove();
      return (l1 + 0.05) / (l2 + 0.05);
    },
    [fg, bg] as const,
  );
}

for (const scheme of ['light', 'dark'] as const) {
  test(`Reports reads well in the ${scheme} theme: chart colours stand out and axe finds nothing serious`, async ({ browser }) => {
    const { page, close } = await themedPage(browser, scheme);
    await page.getByRole('button', { name: 'Reports' }).click();
    await expect(page.getByRole('img', { name: /incidents declared per week/ }).locator('canvas').first()).toBeVisible();
    const vars = await page.evaluate(() => {
      const css = getComputedStyle(document.documentElement);
      return ['--panel', '--chart-1', '--chart-2', '--chart-3', '--chart-4', '--text'].map((v) => css.getPropertyValue(v).trim());
    });
    const [panel, ...colours] = vars as [string, ...string[]];
    for (const c of colours) expect(await contrastIn(page, c, panel), `${c} on ${panel}`).toBeGreaterThanOrEqual(3);
    // The weekly bars are painted in the theme's first series colour.
    const painted = await page.getByRole('img', { name: /incidents declared per week/ }).locator('canvas').first().evaluate((canvas: HTMLCanvasElement, hex: string) => {
      const want = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i]! - want[0]!) + Math.abs(data[i + 1]! - want[1]!) + Math.abs(data[i + 2]! - want[2]!) < 6) return true;
      return false;
    }, colours[0]!);
    expect(painted).toBe(true);
    const result = await new AxeBuilder({ page }).analyze();
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    await close();
  });
}
