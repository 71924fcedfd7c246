#!/usr/bin/env node
// `npm test`: every ring that can run on this machine, in order of speed, failing fast.
// Ring 0 static (build, tsc, eslint, layering, Electronegativity), Ring 1 Vitest (real SQLite,
// real loopback socket.io, real Postgres/Redis, mocked electron), Ring 2 Playwright in Debian's
// Chromium, Ring 3 the Electron smoke test (skips itself, saying why, without a runtime).
// Ends with one line "N passed, N failed, N skipped" over all runners.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const bin = (name) => path.join(root, 'node_modules/.bin', name);
const totals = { passed: 0, failed: 0, skipped: 0 };
const only = process.argv.slice(2);

function step(name, cmd, args, opts = {}) {
  if (only.length && !only.includes(name)) return;
  const started = Date.now();
  console.log(`\n── ${name}: ${[path.basename(cmd), ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...opts.env } });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (r.status !== 0) {
    console.error(`\n✗ ${name} failed after ${secs}s (exit ${r.status ?? r.signal})`);
    if (opts.report) opts.report();
    console.log(`\n${totals.passed} passed, ${Math.max(1, totals.failed)} failed, ${totals.skipped} skipped`);
    process.exit(1);
  }
  console.log(`✓ ${name} (${secs}s)`);
  if (opts.report) opts.report();
}

/**
 * Runs independent checks at once (tsc and eslint are each one busy core for about as long), then
 * prints each one's output whole, in the order given, so the log reads as if they ran in series.
 * Fails like step() if any failed, after all have finished.
 */
async function together(steps) {
  const wanted = steps.filter(([name]) => !only.length || only.includes(name));
  const started = Date.now();
  if (wanted.length) console.log(`\n── at once: ${wanted.map(([name]) => name).join(', ')}`);
  const results = await Promise.all(
    wanted.map(
      ([name, cmd, args]) =>
        new Promise((resolve) => {
          const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
          const out = [];
          child.stdout.on('data', (d) => out.push(d));
          child.stderr.on('data', (d) => out.push(d));
          child.on('error', (err) => out.push(Buffer.from(`${err.message}\n`)));
          child.on('close', (code, signal) => resolve({ name, cmd, args, code, signal, secs: ((Date.now() - started) / 1000).toFixed(1), out: Buffer.concat(out) }));
        }),
    ),
  );
  let failed = false;
  for (const r of results) {
    console.log(`\n── ${r.name}: ${[path.basename(r.cmd), ...r.args].join(' ')}`);
    process.stdout.write(r.out);
    if (r.code === 0) console.log(`✓ ${r.name} (${r.secs}s)`);
    else {
      console.error(`\n✗ ${r.name} failed after ${r.secs}s (exit ${r.code ?? r.signal})`);
      failed = true;
    }
  }
  if (failed) {
    console.log(`\n${totals.passed} passed, 1 failed, ${totals.skipped} skipped`);
    process.exit(1);
  }
}

const work = mkdtempSync(path.join(tmpdir(), 'conn-test-'));
const vitestJson = path.join(work, 'vitest.json');
const pwJson = path.join(work, 'playwright.json');

function countVitest() {
  if (!existsSync(vitestJson)) return;
  const r = JSON.parse(readFileSync(vitestJson, 'utf8'));
  totals.passed += r.numPassedTests ?? 0;
  totals.failed += r.numFailedTests ?? 0;
  totals.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
}
function countPlaywright() {
  if (!existsSync(pwJson)) return;
  const s = JSON.parse(readFileSync(pwJson, 'utf8')).stats ?? {};
  totals.passed += (s.expected ?? 0) + (s.flaky ?? 0);
  totals.failed += s.unexpected ?? 0;
  totals.skipped += s.skipped ?? 0;
}

step('build', process.execPath, [path.join(root, 'scripts/build.mjs'), 'all']);
const checks = [
  ['typecheck', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']],
  ['lint', bin('eslint'), ['--max-warnings=0', '.']],
];
if (existsSync(path.join(root, 'scripts/electronegativity.mjs'))) {
  checks.push(['electronegativity', process.execPath, [path.join(root, 'scripts/electronegativity.mjs')]]);
}
await together(checks);
// CONN_TEST_BUILT: the build step above made dist/, so Vitest's global setup need not build again.
step('unit+integration', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`], { env: { CONN_TEST_BUILT: '1' }, report: countVitest });
if (existsSync(path.join(root, 'playwright.config.ts'))) {
  step('e2e', bin('playwright'), ['test'], { env: { PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson, CONN_PW_JSON: '1' }, report: countPlaywright });
}
rmSync(work, { recursive: true, force: true });
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
