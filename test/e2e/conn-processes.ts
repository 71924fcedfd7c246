import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/*
 * Real processes for the end-to-end tests: `conn web` cockpits and a `conn hub serve`, each in
 * its own temporary data dir, driven through the built bin exactly as a person would.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(root, 'bin/conn.js');

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `conn-e2e-${prefix}-`));
}

/** Runs one `conn` command to completion and returns its stdout. */
export function conn(dataDir: string, ...args: string[]): string {
  return execFileSync(process.execPath, [BIN, '--data-dir', dataDir, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export interface Running {
  proc: ChildProcess;
  /** The first URL the process printed. */
  url: string;
  stop(): Promise<void>;
}

/** Starts a long-running `conn` command and waits for the URL it prints. */
async function startPrinting(args: string[], pattern: RegExp): Promise<Running> {
  const proc = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`conn ${args.join(' ')} printed no address in 20s:\n${out}${err}`)), 20_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = pattern.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
    proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`conn ${args.join(' ')} exited with ${code}:\n${out}${err}`));
    });
  });
  proc.removeAllListeners('exit');
  // A process that dies after starting says why in the test's output, not just "connection refused".
  proc.on('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM' && signal !== 'SIGKILL') process.stderr.write(`conn ${args.join(' ')} exited (${code ?? signal}):\n${err}\n`);
  });
  return {
    proc,
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
        setTimeout(() => proc.kill('SIGKILL'), 5000).unref();
      }),
  };
}

export interface Cockpit extends Running {
  dataDir: string;
}

/*
 * `conn profile` runs once per name in each Playwright worker, into a template data dir that
 * every later cockpit of that name starts from as a copy: the same file the command writes, for
 * the price of a file copy instead of a Node start and a migrated database (about a second of CPU,
 * and most tests start one to three cockpits). A copy keeps the profile's id, which no test
 * tells apart: each test has its own data dirs and its own hub.
 */
const profileTemplates = new Map<string, string>();
process.on('exit', () => {
  for (const dir of profileTemplates.values()) removeDir(dir);
});

function profiledDataDir(name: string): string {
  let template = profileTemplates.get(name);
  if (!template) {
    template = tempDir(`template-${name.toLowerCase()}`);
    conn(template, 'profile', '--name', name, '--tz', 'Europe/Berlin', '--hours', '00:00-23:59');
    profileTemplates.set(name, template);
  }
  const dataDir = tempDir(name.toLowerCase());
  cpSync(template, dataDir, { recursive: true });
  return dataDir;
}

/** A person's cockpit: a data dir with their profile, served by `conn web` on a free port. */
export async function startCockpit(name: string, opts: { dataDir?: string; hub?: { url: string; token: string } } = {}): Promise<Cockpit> {
  const dataDir = opts.dataDir ?? profiledDataDir(name);
  if (opts.hub) conn(dataDir, 'connect', opts.hub.url, '--token', opts.hub.token);
  const running = await startPrinting(['--data-dir', dataDir, 'web', '--port', '0'], /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/);
  return { ...running, dataDir };
}

export interface Hub extends Running {
  dataDir: string;
  port: number;
  invite(name: string, role?: 'admin' | 'member' | 'viewer'): string;
}

/** A team hub on a free port (or a given one, to restart it where clients expect it). */
export async function startHub(opts: { dataDir?: string; port?: number } = {}): Promise<Hub> {
  const dataDir = opts.dataDir ?? tempDir('hub');
  const running = await startPrinting(['--data-dir', dataDir, 'hub', 'serve', '--port', String(opts.port ?? 0)], /https?:\/\/[\w.]+:\d+/);
  return {
    ...running,
    dataDir,
    port: Number(new URL(running.url).port),
    invite: (name, role = 'member') => {
      const out = conn(dataDir, '--json', 'hub', 'invite', name, '--team', 'sre', '--role', role);
      return (JSON.parse(out) as { token: string }).token;
    },
  };
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
