import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
});
