import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildBin, root } from '../sync/conn-bin.js';

/*
 * The real `conn web` process, started through the bin as a person would: what a stranger on
 * loopback sends must not stop it.
 */

const work = mkdtempSync(path.join(tmpdir(), 'conn-web-bin-'));
const rendererDir = path.join(work, 'renderer');
const noSeeds = path.join(work, 'no-seeds');
const running: ChildProcess[] = [];

beforeAll(() => {
  buildBin();
  // A stand-in for dist/renderer: conn web only needs index.html and an assets/ folder.
  mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Conn</title>');
  mkdirSync(noSeeds);
}, 60_000);

afterEach(async () => {
  for (const child of running.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Started {
  child: ChildProcess;
  port: number;
  token: string;
}

/** Starts `conn web --json` in a fresh data dir and resolves with what it printed. */
function startConnWeb(args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<Started> {
  const dataDir = mkdtempSync(path.join(work, 'data-'));
  const child = spawn(process.execPath, ['bin/conn.js', '--data-dir', dataDir, '--json', 'web', '--port', '0', ...args], {
    cwd: root,
    env: { ...process.env, CONN_RENDERER_DIR: rendererDir, CONN_RUNBOOK_SEED_DIR: noSeeds, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      try {
        const info = JSON.parse(out) as { url: string; port: number };
        resolve({ child, port: info.port, token: new URL(info.url).searchParams.get('token') ?? '' });
      } catch {}
    });
    child.once('exit', (code) => reject(new Error(`conn web exited (${code}) before serving: ${err}`)));
  });
}

/**
 * A stand-in for xdg-open on PATH that writes down the arguments it was run with: exactly what
 * `ps` shows every account on the machine while a real opener runs.
 */
function fakeOpener(): { env: NodeJS.ProcessEnv; argv: () => Promise<string[]> } {
  const bin = mkdtempSync(path.join(work, 'bin-'));
  const record = path.join(bin, 'argv.txt');
  writeFileSync(path.join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$@" > "${record}.tmp" && mv "${record}.tmp" "${record}"\n`, { mode: 0o755 });
  return {
    env: { PATH: `${bin}${path.delimiter}${process.env['PATH'] ?? ''}`, DISPLAY: ':99' },
    argv: async () => {
      const deadline = Date.now() + 10_000;
      while (!existsSync(record) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      return readFileSync(record, 'utf8').trimEnd().split('\n');
    },
  };
}

function get(port: number, urlPath: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: urlPath, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('conn web, the process', () => {
  it('answers a token cookie that is not valid percent-encoding with 401 and keeps serving', async () => {
    const web = await startConnWeb();
    expect((await get(web.port, '/', { cookie: 'conn_token=%' })).status).toBe(401);
    expect((await get(web.port, '/', { cookie: `conn_token=${web.token}` })).status).toBe(200);
    expect(web.child.exitCode).toBeNull();
  });

  it.skipIf(process.platform !== 'linux')('--open hands the browser opener a one-time launch link, never the token', async () => {
    const opener = fakeOpener();
    const web = await startConnWeb(['--open'], opener.env);
    const argv = await opener.argv();
    expect(argv).toHaveLength(1);
    expect(argv[0]).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${web.port}/launch\\?nonce=[\\w-]{43}$`));
    expect(argv.join(' ')).not.toContain(web.token);

    const launch = new URL(argv[0]!);
    const traded = await get(web.port, launch.pathname + launch.search);
    expect(traded.status).toBe(303);
    expect(traded.headers['set-cookie']).toEqual([`conn_token=${web.token}; Path=/; HttpOnly; SameSite=Strict`]);
    expect((await get(web.port, launch.pathname + launch.search)).status).toBe(401);
  });
});
