import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import type { ConnEvent } from '../shared/domain/events.js';
import { newId } from '../shared/domain/ids.js';
import { formatHlc } from '../shared/sync/hlc.js';
import { createRpcServer } from '../main/core/api/rpc-server.js';
import { openCore, type Core } from '../main/core/open.js';
import { findRendererDir } from '../main/web/renderer-dir.js';
import { startWebHost } from '../main/web/web-host.js';
import { report } from './report.js';

/*
 * The cockpit in Chromium with a 100k-event timeline against the same cockpit with 1k events:
 * mount (navigation to the first rendered row) and a scroll back through history that pulls
 * keyset windows as it goes. Virtualisation and keyset paging should make the two alike, so
 * the 1k run is the baseline and the ratio is the figure. Data is seeded through the core.
 */

const SCROLL_STEPS = 40;
const RUNS = 3;

function seed(core: Core, events: number): string {
  const { id } = core.incidents.declare({ title: `Bench incident with ${events} events`, severity: 2 });
  const author = { id: 'bench-author', name: 'Bench Author' };
  const start = Date.now() - events * 1000;
  const page: ConnEvent[] = [];
  for (let i = 0; i < events; i++) {
    page.push({
      id: newId(),
      incidentId: id,
      hlc: formatHlc({ wall: start + i * 1000, counter: 0 }),
      author,
      kind: 'note',
      payload: { text: `Entry ${i}: checked **${i % 7 === 0 ? 'the load balancer' : 'db-2'}** and found ${i % 3 === 0 ? 'nothing' : 'errors'}` },
    } as ConnEvent);
    if (page.length === 5000) core.events.ingest(page.splice(0));
  }
  core.events.ingest(page);
  return id;
}

async function measure(page: Page, url: string): Promise<{ mountMs: number; scrollMs: number; domRows: number }> {
  await page.goto('about:blank');
  const started = Date.now();
  await page.goto(url);
  await page.getByRole('list', { name: 'Timeline' }).getByRole('listitem').first().waitFor();
  const mountMs = Date.now() - started;
  const scroller = page.getByRole('region', { name: 'Timeline entries' });
  const t = Date.now();
  for (let i = 0; i < SCROLL_STEPS; i++) {
    await scroller.evaluate((el) => {
      el.scrollTop = Math.max(0, el.scrollTop - 3000);
    });
    // Two frames: the virtualiser renders, then any window it asked for has been requested.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  }
  const scrollMs = Date.now() - t;
  const domRows = await page.getByRole('list', { name: 'Timeline' }).getByRole('listitem').count();
  return { mountMs, scrollMs, domRows };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const rendererDir = findRendererDir();
if (!rendererDir) {
  execFileSync(process.execPath, ['scripts/build.mjs', 'renderer'], { stdio: 'inherit' });
}
const staticDir = findRendererDir()!;
const chromiumPath = process.env['CONN_CHROMIUM'] ?? execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-background-networking'] });

const results: Record<string, { mountMs: number; scrollMs: number; domRows: number; fcpMs: number }> = {};
for (const size of [1_000, 100_000]) {
  const dir = mkdtempSync(path.join(tmpdir(), 'conn-bench-renderer-'));
  const core = openCore({ dataDir: dir });
  const seededAt = Date.now();
  const incidentId = seed(core, size);
  const seedMs = Date.now() - seededAt;
  const host = await startWebHost({ rpc: createRpcServer(core), staticDir, port: 0 });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const url = `${host.url}#/incident/${incidentId}`;
  await measure(page, url); // warm-up: first load compiles the bundle
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await measure(page, url));
  await page.goto(url);
  await page.getByRole('list', { name: 'Timeline' }).getByRole('listitem').first().waitFor();
  const fcpMs = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN);
  results[size] = {
    mountMs: median(runs.map((r) => r.mountMs)),
    scrollMs: median(runs.map((r) => r.scrollMs)),
    domRows: Math.max(...runs.map((r) => r.domRows)),
    fcpMs,
  };
  if (!process.argv.includes('--json')) console.log(`  seeded ${size} events in ${seedMs} ms`);
  await context.close();
  await host.close();
  await core.close();
  rmSync(dir, { recursive: true, force: true });
}
await browser.close();

const big = results[100_000]!;
const small = results[1_000]!;
report({ name: 'renderer: mount the cockpit, 100k-event vs 1k-event timeline', value: big.mountMs, baseline: small.mountMs, unit: 'ms', lowerIsBetter: true, budget: 1.5, extra: { domRows: big.domRows } });
report({ name: `renderer: scroll back ${SCROLL_STEPS} steps through history, 100k vs 1k`, value: big.scrollMs, baseline: small.scrollMs, unit: 'ms', lowerIsBetter: true, budget: 1.5, extra: { domRows: big.domRows } });
report({ name: 'renderer: first contentful paint of the cockpit, 100k vs 1k', value: big.fcpMs, baseline: small.fcpMs, unit: 'ms', lowerIsBetter: true, budget: 1.5 });
