import { expect, test } from '@playwright/test';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { removeDir, startCockpit, type Cockpit } from './conn-processes.js';

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
