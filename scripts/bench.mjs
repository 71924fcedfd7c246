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
const files = readdirSync(path.join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => names.length === 0 || names.some((n) => f.includes(n)))
  .sort();
// The browser benchmarks measure the built renderer: build it now, so they never time a stale one.
const BROWSER_BENCHES = ['renderer.bench.ts', 'runbook-typing.bench.ts'];
if (files.some((f) => BROWSER_BENCHES.includes(f))) {
  const b = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), 'renderer'], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
}
let failed = 0;
for (const f of files) {
  if (!args.includes('--json')) console.log(`\n── ${f}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'bench', f), ...args], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) failed += 1;
}
process.exit(failed ? 1 : 0);
