import { execFileSync } from 'node:child_process';
import { defineConfig, type ReporterDescription } from '@playwright/test';

/*
 * Ring 2: the built renderer in Debian's Chromium against real `conn web` processes (and a
 * real hub). Playwright's own browsers cannot be downloaded here, so the `chromium` on PATH is
 * launched through executablePath.
 */
function chromiumPath(): string {
  if (process.env['CONN_CHROMIUM']) return process.env['CONN_CHROMIUM'];
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('no `chromium` on PATH: install it (apt-get install -y chromium) or set CONN_CHROMIUM');
  }
}

const reporter: ReporterDescription[] = [['list']];
if (process.env['CONN_PW_JSON']) reporter.push(['json', { outputFile: process.env['PLAYWRIGHT_JSON_OUTPUT_NAME'] }]);

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './test/e2e/global-setup.ts',
  // Two cores on a shared 2-CPU machine: more workers only make every test slower.
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  retries: 0,
  reporter,
  outputDir: 'test-results',
  use: {
    browserName: 'chromium',
    headless: true,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromiumPath(),
      args: [
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-default-apps',
        '--disable-sync',
        '--no-first-run',
        '--disable-features=Translate,MediaRouter,OptimizationHints',
      ],
    },
  },
});
