#!/usr/bin/env node
// `npm run fuzz -- --seeds N [--start S] [--steps K] [--harness convergence|hostile]`: runs the
// seeded sync harnesses over N more seeds each than CI's fixed sets, starting at S (default: a
// random seed, printed so a failure can be replayed). `--help` says the same.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HARNESSES = {
  // Partitions, concurrent edits, duplicated and reordered deliveries, hub restarts; one team of admins.
  convergence: 'test/sync/convergence.test.ts',
  // Two teams, every role, hostile writes past the cockpit's check and raw pushes; refusals marked.
  hostile: 'test/sync/hostile-convergence.test.ts',
};

const HELP = `usage: npm run fuzz -- [--seeds N] [--start S] [--steps K] [--harness NAME]

Runs the seeded sync harnesses (docs/sync.md, "Tests") over more seeds than CI does:
  convergence  ${HARNESSES.convergence}
               partitions, concurrent edits, duplicated and reordered deliveries, hub restarts
  hostile      ${HARNESSES.hostile}
               two teams, members of every role, hostile writes (targets in other incidents and
               teams, back-dated declarations, command grabs, others' words, oversized entries,
               forged names, viewer writes) and raw pushes; every refusal marked on its writer

  --seeds N      seeds per harness besides the fixed CI ones (default 20)
  --start S      first seed (default: random, printed); replay a failure with --start SEED --seeds 1
  --steps K      steps per schedule (default: each harness's own, 70 and 90)
  --harness NAME only this harness (default: both, one after the other)

Set CONN_FUZZ_VERBOSE=1 to print what each hostile schedule did.`;

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(HELP);
  process.exit(0);
}
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const seeds = Number(opt('seeds', '20'));
const start = Number(opt('start', String(1000 + Math.floor(Math.random() * 1_000_000))));
const steps = opt('steps', undefined);
const only = opt('harness', undefined);
if (!Number.isInteger(seeds) || seeds < 1) {
  console.error('fuzz: --seeds takes a positive whole number');
  process.exit(2);
}
if (only !== undefined && !(only in HARNESSES)) {
  console.error(`fuzz: --harness is one of ${Object.keys(HARNESSES).join(', ')}`);
  process.exit(2);
}
const files = only ? [HARNESSES[only]] : Object.values(HARNESSES);
console.log(`fuzz: ${seeds} seeds from ${start}${steps ? `, ${steps} steps each` : ''}, in ${files.join(' and ')} (replay one with --start SEED --seeds 1)`);
const began = Date.now();
// One file at a time: the harnesses time real sockets, and share the machine with whatever else runs.
const r = spawnSync(path.join(root, 'node_modules/.bin/vitest'), ['run', '--no-file-parallelism', ...files], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, CONN_FUZZ_SEEDS: String(seeds), CONN_FUZZ_SEED_START: String(start), ...(steps ? { CONN_FUZZ_STEPS: steps } : {}) },
});
console.log(`fuzz: ${files.length} harness${files.length > 1 ? 'es' : ''} × ${seeds} seeds from ${start} in ${Math.round((Date.now() - began) / 1000)} s`);
process.exit(r.status ?? 1);
