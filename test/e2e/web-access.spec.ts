import { expect, test } from '@playwright/test';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import { conn, removeDir, startCockpit, tempDir, type Cockpit } from './conn-processes.js';

/*
 * What Chromium itself lets a page served by `conn web` do: its Content-Security-Policy is
 * checked here by the browser that enforces it, not only by reading the header.
 */

let cockpit: Cockpit;

test.beforeAll(async () => {
  cockpit = await startCockpit('Ana');
});

test.afterAll(async () => {
  await cockpit.stop();
  removeDir(cockpit.dataDir);
});

test("the page reaches its own socket, and Chromium blocks a socket to any other loopback port", async ({ page }) => {
  const other = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  let reached = 0;
  other.on('connection', () => (reached += 1));
  await new Promise((resolve) => other.once('listening', resolve));
  try {
    await page.goto(cockpit.url);
    // The cockpit talks to the core only over its own ws:// origin: the list loading proves it may.
    await expect(page.getByRole('button', { name: 'Declare incident' })).toBeVisible();
    const result = await page.evaluate(async (port) => {
      const violations: string[] = [];
      document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.effectiveDirective} ${e.blockedURI}`));
      const attempt = (url: string) =>
        new Promise<string>((resolve) => {
          try {
            const ws = new WebSocket(url);
            ws.onopen = () => {
              ws.close();
              resolve('open');
            };
            ws.onerror = () => resolve('error');
          } catch (err) {
            resolve((err as Error).name);
          }
        });
      const own = await attempt(`ws://${location.host}/rpc`);
      const foreign = await attempt(`ws://127.0.0.1:${port}/`);
      await new Promise((r) => setTimeout(r, 200)); // the violation event is queued as a task
      return { own, foreign, violations };
    }, (other.address() as AddressInfo).port);
    expect(result.own).toBe('open');
    expect(result.foreign).not.toBe('open');
    expect(result.violations).toEqual([`connect-src ws://127.0.0.1:${(other.address() as AddressInfo).port}/`]);
    expect(reached).toBe(0);
  } finally {
    await new Promise((resolve) => other.close(resolve));
  }
});

/** `conn web --open` with an opener on PATH that records the URL it was given, as the browser would get it. */
async function openedByConnWeb(dataDir: string): Promise<{ link: string; stop: () => void }> {
  const bin = tempDir('opener');
  const record = path.join(bin, 'url.txt');
  writeFileSync(path.join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s' "$1" > "${record}.tmp" && mv "${record}.tmp" "${record}"\n`, { mode: 0o755 });
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const proc = spawn(process.execPath, [path.join(root, 'bin/conn.js'), '--data-dir', dataDir, 'web', '--port', '0', '--open'], {
    env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env['PATH'] ?? ''}`, DISPLAY: ':99' },
    stdio: 'ignore',
  });
  const deadline = Date.now() + 20_000;
  while (!existsSync(record) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return {
    link: readFileSync(record, 'utf8'),
    stop: () => {
      proc.kill('SIGTERM');
      removeDir(bin);
    },
  };
}

test('the launch link from --open signs Chromium in once, and leaves no token in its address bar', async ({ browser }) => {
  test.skip(process.platform !== 'linux', 'the opener stand-in is xdg-open');
  const dataDir = tempDir('launch');
  // A profile already set, so the signed-in cockpit opens on its list rather than the first-run dialog.
  conn(dataDir, 'profile', '--name', 'Ana', '--tz', 'Europe/Berlin', '--hours', '00:00-23:59');
  const opened = await openedByConnWeb(dataDir);
  try {
    expect(opened.link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/launch\?nonce=[\w-]{43}$/);
    const first = await browser.newContext();
    const page = await first.newPage();
    await page.goto(opened.link);
    await expect(page.getByRole('button', { name: 'Declare incident' })).toBeVisible();
    expect(page.url()).toBe(new URL('/', opened.link).href);
    const [cookie] = await first.cookies();
    expect(cookie).toMatchObject({ name: 'conn_token', httpOnly: true, sameSite: 'Strict' });
    expect(await page.evaluate(() => document.cookie)).toBe('');
    await first.close();

    const second = await browser.newContext();
    const again = await (await second.newPage()).goto(opened.link);
    expect(again?.status()).toBe(401);
    expect(await second.cookies()).toEqual([]);
    await second.close();
  } finally {
    opened.stop();
    removeDir(dataDir);
  }
});
