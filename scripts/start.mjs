#!/usr/bin/env node
// `npm start`: build, then launch the desktop app. Electron's runtime comes from GitHub, not the
// npm registry, so it may be missing (npm 11 also skips electron's install script unless it is
// allowed). Then we try to fetch it once, briefly, and otherwise say so in one line and open the
// same cockpit in the browser through `conn web`. Extra arguments go to electron or `conn web`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const electronDir = path.join(root, 'node_modules', 'electron');
const FETCH_TIMEOUT_MS = 20_000;
const args = process.argv.slice(2);

/** The Electron executable if its files are there. Never require('electron'): that downloads without a timeout. */
function electronRuntime() {
  const pathFile = path.join(electronDir, 'path.txt');
  const dist = path.join(electronDir, 'dist');
  if (!existsSync(pathFile) || !existsSync(dist)) return null;
  const exe = path.join(dist, readFileSync(pathFile, 'utf8').trim());
  return existsSync(exe) ? exe : null;
}

/** One attempt at electron's own installer, killed after FETCH_TIMEOUT_MS. Returns why it failed. */
function fetchElectron() {
  const installer = path.join(electronDir, 'install.js');
  if (!existsSync(installer)) return 'the electron package is not installed';
  const r = spawnSync(process.execPath, [installer], { cwd: electronDir, stdio: ['ignore', 'ignore', 'pipe'], timeout: FETCH_TIMEOUT_MS, encoding: 'utf8' });
  if (r.error?.code === 'ETIMEDOUT' || r.signal) return `the download did not finish within ${FETCH_TIMEOUT_MS / 1000} s`;
  if (r.status !== 0) {
    const last = (r.stderr ?? '').split('\n').map((l) => l.trim()).filter((l) => /error|ENOTFOUND|EAI_AGAIN|ECONN|getaddrinfo|403|404/i.test(l)).pop();
    return `the download failed${last ? ` (${last.slice(0, 120)})` : ''}`;
  }
  return null;
}

function run(cmd, argv) {
  const child = spawn(cmd, argv, { cwd: root, stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

/**
 * `conn web --open` opens the browser itself, with a one-time launch link: the printed address
 * carries the per-launch token, and an opener's command line is readable by every account.
 */
function startBrowserFallback() {
  run(process.execPath, [path.join(root, 'bin/conn.js'), 'web', '--open', ...args]);
}

const build = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs'), 'all'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

let exe = electronRuntime();
let why = null;
if (!exe && !process.env.CONN_NO_ELECTRON_FETCH) {
  why = fetchElectron();
  exe = electronRuntime();
}
if (exe) {
  run(exe, [path.join(root, 'dist/shell/main.js'), ...args]);
} else {
  console.log(`conn: no Electron runtime (${why ?? 'not installed'}), so the cockpit opens in your browser via \`conn web\` instead.`);
  startBrowserFallback();
}
