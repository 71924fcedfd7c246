import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createRpcServer } from '../main/core/api/rpc-server.js';
import { openCore, type Core } from '../main/core/open.js';
import { runbooksOf } from '../main/core/runbooks/service.js';
import { findRendererDir } from '../main/web/renderer-dir.js';
import { startWebHost } from '../main/web/web-host.js';
import { percentile, report } from './report.js';
import { syntheticLibrary } from './synthetic-runbooks.js';

/*
 * Search as you type in the real runbook library view, in Chromium: from the keystroke (the
 * input event React's onChange sees) to the new results in the page and then painted, over 10k
 * synthetic runbooks (the same library as bench/runbooks.bench.ts),
 * against the same typing over 100 runbooks in the same run, so the ratio says how the view
 * scales with the library. Timed inside the page, so Playwright's round trips are not counted.
 * Only keystrokes that change what the list shows are samples: `databa` → `databas` shows
 * "No runbook matches." both times, and nothing is painted. A frame is 16.7 ms.
 * Then clearing the box, which lists the whole library, and the first keystroke after that.
 */

const N = Number(process.env['RUNBOOK_TYPING_N'] ?? 10_000);
const BASELINE_N = 100;
const MIN_SAMPLES = 60;
/** A keystroke whose results have not been answered and painted by then is a miss. */
const TIMEOUT_MS = 500;
const CLEARS = 5;
const FRAME_MS = 1000 / 60;

const { VOCAB, COMMON, synthetic } = syntheticLibrary();

/*
 * What people type into the box, one character at a time: common words, a quoted phrase, the
 * prefix syntax, two words, and vocabulary words whose prefixes are words too (`lolo`, `lolomi`).
 * Moving to the next query types its first character over the selected old one, as a person
 * does, so the list never goes through the empty query (the whole library) between samples.
 */
const QUERIES = [
  'database',
  '"replica lag"',
  'rollback',
  'dat*',
  'restart service',
  `${VOCAB[0]} ${VOCAB[1]}`,
  '"check the replica"',
  'latency alert',
  're*',
  `${VOCAB[300]}`,
  'deploy rollback',
  'cu*',
  '"restart',
  `${VOCAB[5]}* customer`,
  'lat* replica',
  `${VOCAB[2]} ${VOCAB[7]} check`,
  'alert',
  'rol*',
];

function seedLibrary(core: Core, n: number): void {
  const lib = runbooksOf(core, { seedDir: null }); // no example runbooks: the library is exactly n
  core.db.transaction(() => {
    for (let i = 0; i < n; i++) lib.put(`runbook-${i}`, synthetic(i), 'bench');
  })();
}

interface Keystroke {
  kind: 'changed' | 'same' | 'miss';
  /** Keystroke to the frame after the new results are in the DOM (the paint). */
  ms: number;
  /** Keystroke to the results in the DOM. */
  domMs: number;
  /** Keystroke to the core's last reply (NaN when nothing was asked, e.g. a cached list). */
  answerMs: number;
}

declare global {
  interface Window {
    __benchType(value: string, timeoutMs: number): Promise<Keystroke>;
    __benchTx: number;
    __benchRx: number;
    __benchRxAt: number;
  }
}

/*
 * Runs in the page before the app: counts the WebSocket's sends and receipts, so a keystroke whose
 * results come back identical can be told from one still waiting (React paints nothing for it).
 */
function instrumentSocket(): void {
  window.__benchTx = 0;
  window.__benchRx = 0;
  window.__benchRxAt = 0;
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('message', () => {
        window.__benchRx += 1;
        window.__benchRxAt = performance.now();
      });
    }
    override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
      window.__benchTx += 1;
      super.send(data);
    }
  };
}

/*
 * Installed once the library view is up: sets the box's value with the native setter and fires
 * `input` (what a keystroke does; React's onChange listens for it), then watches the list. The
 * sample ends after the frame that paints the change: a rAF callback runs just before that paint
 * and a message posted from it runs just after. Results answered but identical end as 'same';
 * nothing within the timeout is a 'miss'.
 */
function installTyping(): void {
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
  // What the search side shows: the results, "No runbook matches." (inside the list or next to
  // it, depending on the version) and any error, i.e. the box's parent minus the box.
  const shown = (): string => {
    const side = document.querySelector('input[aria-label="Search runbooks"]')?.parentElement;
    // Marks too: the same text highlighted elsewhere is a different picture.
    const marks = side ? Array.from(side.querySelectorAll('mark'), (m) => m.textContent).join('|') : '';
    return `${side?.textContent ?? ''}\u0000${marks}`;
  };
  const afterPaint = (fn: () => void) =>
    requestAnimationFrame(() => {
      const ch = new MessageChannel();
      ch.port1.onmessage = fn;
      ch.port2.postMessage(null);
    });
  window.__benchType = (value, timeoutMs) =>
    new Promise<Keystroke>((resolve) => {
      const input = document.querySelector<HTMLInputElement>('input[aria-label="Search runbooks"]')!;
      const root = document.querySelector('[aria-label="Runbook library"]')!;
      const before = shown();
      const tx0 = window.__benchTx;
      const rx0 = window.__benchRx;
      let done = false;
      let domAt = 0;
      const finish = (k: Keystroke) => {
        if (done) return;
        done = true;
        observer.disconnect();
        clearTimeout(timer);
        resolve(k);
      };
      const observer = new MutationObserver(() => {
        if (done || domAt || shown() === before) return;
        domAt = performance.now();
        const answerMs = window.__benchRx > rx0 ? window.__benchRxAt - t0 : Number.NaN;
        afterPaint(() => finish({ kind: 'changed', ms: performance.now() - t0, domMs: domAt - t0, answerMs }));
      });
      // Answered (every request sent since the keystroke has its reply) and still the same two
      // frames later, when React has committed whatever the reply set: nothing will be painted.
      const settled = () => {
        if (done || domAt) return;
        const sent = window.__benchTx - tx0;
        if (sent > 0 && window.__benchRx - rx0 >= sent) {
          requestAnimationFrame(() =>
            requestAnimationFrame(() => {
              if (!done && !domAt && shown() === before) finish({ kind: 'same', ms: performance.now() - t0, domMs: Number.NaN, answerMs: Number.NaN });
            }),
          );
          return;
        }
        requestAnimationFrame(settled);
      };
      observer.observe(root, { childList: true, subtree: true, characterData: true });
      const timer = setTimeout(() => finish({ kind: 'miss', ms: timeoutMs, domMs: Number.NaN, answerMs: Number.NaN }), timeoutMs);
      const t0 = performance.now();
      setter.call(input, value);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      requestAnimationFrame(settled);
    });
}

const type = (page: Page, value: string, timeoutMs = TIMEOUT_MS): Promise<Keystroke> =>
  page.evaluate(([v, t]) => window.__benchType(v, t), [value, timeoutMs] as const);

interface SizeResult {
  typing: number[];
  /** The same keystrokes to the results in the DOM, before the frame that paints them. */
  typingDom: number[];
  /** The same keystrokes to the core's reply: what the core and the socket take. */
  typingAnswer: number[];
  same: number;
  misses: number;
  clears: number[];
  afterClear: number[];
  loadMs: number;
  fullRows: number;
}

async function measure(browser: Browser, staticDir: string, size: number): Promise<SizeResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'conn-bench-runbook-typing-'));
  const core = openCore({ dataDir: dir });
  const seededAt = Date.now();
  seedLibrary(core, size);
  const seedMs = Date.now() - seededAt;
  const log = (err: unknown) => console.error(err);
  const host = await startWebHost({ rpc: createRpcServer(core, log), staticDir, port: 0 });
  // The long-lived hosts (the app's core, `conn web`) call prewarmSearch after starting; it picks
  // the most widespread words on the next turn and builds their ranks in the background while
  // the user finds the library view. warmSearch finishes that now, so every run measures the
  // warmed state instead of racing the background work.
  const lib = runbooksOf(core);
  lib.prewarmSearch();
  await new Promise((r) => setTimeout(r, 0));
  lib.warmSearch();

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // tsx compiles this file with esbuild's keepNames, which wraps named functions in __name();
  // the functions handed to the page below carry those calls, so the page needs the helper.
  await context.addInitScript({ content: 'window.__name = (fn) => fn;' });
  await context.addInitScript(instrumentSocket);
  const page = await context.newPage();
  const results = page.getByRole('list', { name: 'Runbooks' });
  await page.goto(host.url);
  const opened = Date.now();
  await page.getByRole('button', { name: 'Runbooks' }).click();
  await results.getByRole('listitem').first().waitFor();
  const loadMs = Date.now() - opened; // the empty query: every runbook, as the view opens
  const fullRows = await results.getByRole('listitem').count();
  await page.evaluate(installTyping);

  const out: SizeResult = { typing: [], typingDom: [], typingAnswer: [], same: 0, misses: 0, clears: [], afterClear: [], loadMs, fullRows };
  // Warm-up, not counted: leaves the whole library for a result list and lets the JIT settle.
  for (const q of ['alert', 'service', 'deploy']) await type(page, q, 5000);
  for (let pass = 0; pass < 3 && out.typing.length < MIN_SAMPLES; pass++) {
    for (const q of QUERIES) {
      for (let i = 1; i <= q.length; i++) {
        const k = await type(page, q.slice(0, i));
        if (k.kind === 'changed') {
          out.typing.push(k.ms);
          out.typingDom.push(k.domMs);
          out.typingAnswer.push(k.answerMs);
        }
        else if (k.kind === 'same') out.same += 1;
        else out.misses += 1;
      }
    }
  }
  // Clearing the box lists the whole library; the next keystroke replaces it with results.
  for (let i = 0; i < CLEARS; i++) {
    const cleared = await type(page, '', 10_000);
    if (cleared.kind === 'changed') out.clears.push(cleared.ms);
    const next = await type(page, COMMON[i % COMMON.length] as string, 10_000);
    if (next.kind === 'changed') out.afterClear.push(next.ms);
  }
  for (const t of [out.typing, out.typingDom, out.typingAnswer, out.clears, out.afterClear]) t.sort((a, b) => a - b);
  if (!process.argv.includes('--json')) {
    console.log(`  ${size} runbooks: seeded in ${seedMs} ms; view opened with ${fullRows} rows in ${loadMs} ms; ${out.typing.length} keystrokes changed the results, ${out.same} left them as they were, ${out.misses} missed ${TIMEOUT_MS} ms`);
  }
  await context.close();
  await host.close();
  await core.close();
  rmSync(dir, { recursive: true, force: true });
  return out;
}

if (!findRendererDir()) {
  execFileSync(process.execPath, ['scripts/build.mjs', 'renderer'], { stdio: 'inherit' });
}
const staticDir = findRendererDir()!;
const chromiumPath = process.env['CONN_CHROMIUM'] ?? execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-background-networking'] });
const small = await measure(browser, staticDir, BASELINE_N);
const big = await measure(browser, staticDir, N);
await browser.close();

const frame = (ms: number): string => (ms <= FRAME_MS ? 'yes' : 'NO');
const p = (xs: number[], q: number): number => percentile(xs, q);
// Two measures per keystroke. "In the page": the new results are in the DOM, so the next frame
// shows them; within a frame means that happens before a frame's time has passed. "Painted": that
// next frame has been drawn, which adds the wait for the display's next vsync (0–16.7 ms, the
// same wait the typed character itself has), so it is reported beside it, not judged by it.
for (const q of [50, 95]) {
  report({
    name: `runbook typing p${q}, keystroke to results in the page, ${N} vs ${BASELINE_N} runbooks`,
    value: p(big.typingDom, q),
    baseline: p(small.typingDom, q),
    unit: 'ms',
    lowerIsBetter: true,
    budget: 1.5,
    extra: {
      ...(q === 50 ? { keystrokes: big.typing.length, misses: big.misses, 'baseline misses': small.misses } : {}),
      [`core answered p${q} ms`]: Number(p(big.typingAnswer, q).toFixed(1)),
      [`painted p${q} ms`]: Number(p(big.typing, q).toFixed(1)),
      [`baseline painted p${q} ms`]: Number(p(small.typing, q).toFixed(1)),
      'within a frame': frame(p(big.typingDom, q)),
    },
  });
}
report({
  name: `runbook typing: clear the box (the whole library listed), p50, ${N} vs ${BASELINE_N}`,
  value: p(big.clears, 50),
  baseline: p(small.clears, 50),
  unit: 'ms',
  lowerIsBetter: true,
  budget: 1.5,
  extra: { domRows: big.fullRows, 'opened in ms': big.loadMs, 'within a frame': frame(p(big.clears, 50)) },
});
report({
  name: `runbook typing: first keystroke after the whole library, p50, ${N} vs ${BASELINE_N}`,
  value: p(big.afterClear, 50),
  baseline: p(small.afterClear, 50),
  unit: 'ms',
  lowerIsBetter: true,
  budget: 1.5,
  extra: { 'within a frame': frame(p(big.afterClear, 50)) },
});
