#!/usr/bin/env node
// `npm run fuzz -- --seeds N [--start S] [--steps K]`: runs the sync convergence harness
// (test/sync/convergence.test.ts) over N more seeds than CI's fixed set, starting at S
// (default: a random seed, printed so a failure can be replayed).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const seeds = Number(opt('seeds', '20'));
const start = Number(opt('start', String(1000 + Math.floor(Math.random() * 1_000_000))));
const steps = opt('steps', '70');
if (!Number.isInteger(seeds) || seeds < 1) {
  console.error('fuzz: --seeds takes a positive whole number');
  process.exit(2);
}
console.log(`fuzz: ${seeds} seeds from ${start}, ${steps} steps each (replay one with --start SEED --seeds 1)`);
const r = spawnSync(path.join(root, 'node_modules/.bin/vitest'), ['run', 'test/sync/convergence.test.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, CONN_FUZZ_SEEDS: String(seeds), CONN_FUZZ_SEED_START: String(start), CONN_FUZZ_STEPS: steps },
});
process.exit(r.status ?? 1);
