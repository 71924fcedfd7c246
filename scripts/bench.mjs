#!/usr/bin/env node
// `npm run bench [-- --json] [-- NAME...]`: runs every bench/*.bench.ts (through tsx) one after
// another, so they never compete for the two cores. Each bench prints its own figures: a value,
// the raw baseline measured in the same run, and the ratio. With --json, one object per line.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const names = args.filter((a) => !a.startsWith('--'));
// CONN_BENCH_DIR points the runner at another folder of *.bench.ts (its own test uses one).
const benchDir = process.env.CONN_BENCH_DIR ?? path.join(root, 'bench');
const files = readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => names.length === 0 || names.some((n) => f.includes(n)))
  .sort();
// The browser benchmarks measure the built renderer: build it now, so they never time a stale one.
const BROWSER_BENCHES = ['renderer.bench.ts', 'runbook-typing.bench.ts'];
if (files.some((f) => BROWSER_BENCHES.includes(f))) {
  const b = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), 'renderer'], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
}
// A benchmark that fails says which and why, and the others still run and report. Each child's
// stderr is passed through as it comes and its tail kept, so a crash (an uncaught exception ends
// with Node's version banner and nothing else) is summarised in one line naming the benchmark,
// and, with --json, as a {"bench", "ok": false, "error"} object that a reader of the stream can
// tell apart from the figures.
const json = args.includes('--json');
const failures = [];
for (const f of files) {
  if (!json) console.log(`\n── ${f}`);
  const started = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(benchDir, f), ...args], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const stderr = r.stderr?.toString('utf8') ?? '';
  if (stderr) process.stderr.write(stderr);
  if (r.status === 0) continue;
  const why = failureReason(r, stderr);
  failures.push(f);
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (json) process.stdout.write(`${JSON.stringify({ bench: f, ok: false, error: why, seconds: Number(secs) })}\n`);
  else console.log(`✗ ${f} failed after ${secs}s: ${why}`);
}
if (failures.length) console.error(`\n${failures.length} of ${files.length} benchmarks failed: ${failures.join(', ')}`);
process.exit(failures.length ? 1 : 0);

/** The line that says why: the thrown error's message, not the stack or Node's version banner. */
function failureReason(r, stderr) {
  if (r.error) return r.error.message;
  if (r.signal) return `killed by ${r.signal}`;
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const meaningful = lines.filter((l) => !/^Node\.js v\d/.test(l) && !/^at /.test(l) && l !== '^' && !/^node:internal/.test(l));
  const thrown = meaningful.find((l) => /^(\w*Error|Error)\b[:[]/.test(l)) ?? meaningful.at(-1);
  return thrown ? `${thrown} (exit ${r.status})` : `exit ${r.status} with nothing on stderr`;
}
