import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ConnError } from '../../../shared/domain/errors.js';

/*
 * A PDF printed from the export's HTML by a real browser engine: Chromium, driven by
 * playwright-core (already a dependency; its own browser downloads are not needed). The page
 * runs with JavaScript off and every request refused, so printing can neither run nor fetch
 * anything the retrospective's words might smuggle in. In Electron, webContents.printToPDF could
 * do the same without a second browser; until then the desktop app asks the core, which uses
 * this path like the CLI does.
 */

const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/** The Chromium to print with: CONN_CHROMIUM, else the first of CANDIDATES on PATH; null if none. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  const explicit = env['CONN_CHROMIUM'];
  if (explicit) return explicit;
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const name of CANDIDATES) {
      const file = join(dir, name);
      try {
        accessSync(file, constants.X_OK);
        return file;
      } catch {
        // not here: try the next name
      }
    }
  }
  return null;
}

/** How long printing may take before it is given up: a hung browser must not hang the core. */
const PRINT_TIMEOUT_MS = 60_000;

export async function printPdf(html: string): Promise<Buffer> {
  const executablePath = findChromium();
  if (executablePath === null) {
    throw new ConnError(
      'unavailable',
      'PDF export needs Chromium and none was found (chromium, chromium-browser or google-chrome on PATH, or CONN_CHROMIUM): install it (apt-get install -y chromium), or export HTML and print that from a browser',
    );
  }
  const { chromium } = await import('playwright-core');
  // Chromium refuses to start its sandbox as root (containers, CI); a page with JS off and no network is the guard then.
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  let browser;
  try {
    browser = await chromium.launch({ executablePath, headless: true, timeout: PRINT_TIMEOUT_MS, args: asRoot ? ['--no-sandbox'] : [] });
  } catch (err) {
    throw new ConnError('unavailable', `could not start Chromium at ${executablePath} to print the PDF: ${(err as Error).message.split('\n')[0]}`);
  }
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    await context.route('**/*', (route) => route.abort());
    const page = await context.newPage();
    page.setDefaultTimeout(PRINT_TIMEOUT_MS);
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({ format: 'A4', printBackground: true, margin: { top: '18mm', bottom: '18mm', left: '16mm', right: '16mm' } });
  } finally {
    await browser.close();
  }
}
