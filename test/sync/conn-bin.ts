import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/* Running the real `conn` bin (and a real `conn hub serve` process) from sync tests. */

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Builds the bin's bundles, unless Vitest's global setup (test/global-setup.ts) already did for
 * this run: every test file that runs the bin calls this, and building once is enough.
 */
export function buildBin(): void {
  if (process.env['CONN_BIN_BUILT'] === '1') return;
  execFileSync(process.execPath, ['scripts/build.mjs', 'node'], { cwd: root, stdio: 'ignore' });
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function conn(dataDir: string, args: string[]): Run {
  const r = spawnSync(process.execPath, ['bin/conn.js', '--data-dir', dataDir, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * `conn` with the data dir in CONN_DATA_DIR rather than a flag, so a test decides where every
 * argument goes (the CLI tests of global options and usage errors need that); `input` is stdin.
 */
export function connInDir(dataDir: string, args: string[], input?: string): Run {
  const r = spawnSync(process.execPath, ['bin/conn.js', ...args], { cwd: root, input, encoding: 'utf8', env: { ...process.env, CONN_DATA_DIR: dataDir, TZ: 'UTC' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `conn` without blocking this process: for running a command while this test keeps a hub busy. */
export function connAsync(dataDir: string, args: string[]): Promise<Run> {
  const child = spawn(process.execPath, ['bin/conn.js', '--data-dir', dataDir, ...args], { cwd: root, env: { ...process.env, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

export function ok(dataDir: string, args: string[]): string {
  const r = conn(dataDir, args);
  if (r.code !== 0) throw new Error(`conn ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

export interface HubProcess {
  url: string;
  port: number;
  /** Where /metrics is served. */
  metricsUrl: string;
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `conn hub serve` (with any extra `args`) and resolves with its address once it prints it. */
export function serveHub(dataDir: string, port = 0, env: Record<string, string> = {}, args: string[] = []): Promise<HubProcess> {
  const child = spawn(process.execPath, ['bin/conn.js', '--data-dir', dataDir, '--json', 'hub', 'serve', '--port', String(port), ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      try {
        const info = JSON.parse(out) as { url: string; port: number; metricsUrl: string };
        resolve({ url: info.url, port: info.port, metricsUrl: info.metricsUrl, child, exited });
      } catch {}
    });
    void exited.then(({ code }) => reject(new Error(`hub exited (${code}) before listening: ${err}`)));
  });
}
