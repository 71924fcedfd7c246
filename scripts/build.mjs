#!/usr/bin/env node
// Builds Conn. `node` bundles the Node-side entry points with esbuild (fast enough to run on
// every `npm install`); `renderer` runs Vite; `all` does both. Dependencies stay external:
// better-sqlite3 is native, and the rest is resolved from node_modules at run time.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const what = process.argv[2] ?? 'all';

/** Node-side bundles: [entry, outfile, format]. Add an entry when a new process appears. */
const NODE_ENTRIES = [
  ['cli/main.ts', 'dist/cli/conn.js', 'esm'],
  ['main/shell/main.ts', 'dist/shell/main.js', 'esm'],
  ['main/shell/preload.ts', 'dist/shell/preload.cjs', 'cjs'],
  ['main/shell/core-process.ts', 'dist/shell/core-process.js', 'esm'],
];

// pino is loaded by `conn hub serve` only, and its transports run in worker threads that need its own files;
// playwright-core only to print a PDF (main/core/api/retro-pdf.ts), and it finds its own files by __dirname.
const CLI_EXTERNAL = ['better-sqlite3', 'socket.io', 'socket.io-client', 'engine.io', 'engine.io-client', 'pg', 'pg-native', 'redis', '@redis/*', '@socket.io/*', 'ws', 'bufferutil', 'utf-8-validate', 'electron', 'electron-updater', 'pino', 'playwright-core'];

async function buildNode() {
  const started = Date.now();
  for (const [entry, outfile, format] of NODE_ENTRIES) {
    if (!existsSync(path.join(root, entry))) continue; // a layer not written yet
    // The CLI is split at dynamic imports, so `conn --help` or `conn list` never loads what only
    // another command needs (socket.io, pg, redis): startup must feel instant.
    // Old chunks are left in place on purpose: a `conn` started before this build still loads
    // the chunk names its own conn.js refers to (tests build while others run the bin).
    const split = entry === 'cli/main.ts'
      ? { outdir: path.dirname(path.join(root, outfile)), entryNames: path.basename(outfile, '.js'), chunkNames: 'chunks/[name]-[hash]', splitting: true }
      : { outfile: path.join(root, outfile) };
    await build({
      entryPoints: [path.join(root, entry)],
      ...split,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format,
      // The CLI bundles its pure-JS dependencies (zod, commander, date-fns, yaml...): one file parses
      // far faster than resolving hundreds of ESM modules at every start. Native and server-side
      // packages stay external and load only in the commands that need them.
      ...(entry === 'cli/main.ts' ? { external: CLI_EXTERNAL } : { packages: 'external' }),
      // The preload runs sandboxed: it may only require 'electron', so bundle everything else in.
      ...(outfile.endsWith('preload.cjs') ? { packages: undefined, external: ['electron'] } : {}),
      sourcemap: 'linked',
      logLevel: 'warning',
      banner: format === 'esm' ? { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } : {},
    });
  }
  console.log(`built node bundles in ${Date.now() - started} ms`);
}

function buildRenderer() {
  if (!existsSync(path.join(root, 'renderer/index.html'))) return;
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (what === 'node' || what === 'all') await buildNode();
if (what === 'renderer' || what === 'all') buildRenderer();
