import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppProtocolHandler } from '../shell/app-protocol.js';
import { startWebHost, type WebHost } from './web-host.js';

/*
 * Call recordings served to the cockpit's page (main/static/media-files.ts), by a real listening
 * `conn web` host and by the app:// handler: behind the token, with Range, and only for a path
 * that is exactly a recording id.
 */

const TOKEN = 'media-token-0123456789abcdef';
const ID = '01a22f6a-468f-75cb-a54b-e3877cae7565';
let dir: string;
let host: WebHost;
const audio = Buffer.from(Array.from({ length: 10_000 }, (_, i) => i % 251));

function get(urlPath: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path: urlPath, headers: { host: `127.0.0.1:${host.port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'conn-media-'));
  mkdirSync(path.join(dir, 'renderer'));
  writeFileSync(path.join(dir, 'renderer', 'index.html'), '<!doctype html>');
  mkdirSync(path.join(dir, 'recordings'));
  writeFileSync(path.join(dir, 'recordings', `${ID}.wav`), audio);
  host = await startWebHost({ staticDir: path.join(dir, 'renderer'), recordingsDir: path.join(dir, 'recordings'), port: 0, token: TOKEN, rpc: { handle: async () => '{}', onNotification: () => () => undefined } });
});
afterAll(async () => {
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('recordings over conn web', () => {
  it('refuses without the token', async () => {
    expect((await get(`/media/recordings/${ID}.wav`)).status).toBe(401);
  });

  it('serves the whole file, and a range of it from the asked byte', async () => {
    const cookie = { cookie: `conn_token=${TOKEN}` };
    const whole = await get(`/media/recordings/${ID}.wav?token=${TOKEN}`);
    expect(whole.status).toBe(200);
    expect(whole.headers['accept-ranges']).toBe('bytes');
    expect(whole.body.equals(audio)).toBe(true);
    const part = await get(`/media/recordings/${ID}.wav?token=${TOKEN}`, { range: 'bytes=5000-5099', ...cookie });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe('bytes 5000-5099/10000');
    expect(part.body.equals(audio.subarray(5000, 5100))).toBe(true);
    expect((await get(`/media/recordings/${ID}.wav?token=${TOKEN}`, { range: 'bytes=20000-' })).status).toBe(416);
  });

  it('answers 404 for anything but a recording id', async () => {
    for (const p of ['/media/recordings/../conn.db', `/media/recordings/${ID}.wav.bak`, '/media/recordings/x.wav', `/media/recordings/${ID.replace('7565', '7566')}.wav`]) {
      expect((await get(`${p}?token=${TOKEN}`)).status, p).toBe(404);
    }
  });
});

describe('recordings over app://', () => {
  it('serves a range to the app window', async () => {
    const handler = createAppProtocolHandler(path.join(dir, 'renderer'), undefined, path.join(dir, 'recordings'));
    const res = await handler(new Request(`app://conn/media/recordings/${ID}.wav`, { headers: { range: 'bytes=100-199' } }));
    expect(res.status).toBe(206);
    expect(Buffer.from(await res.arrayBuffer()).equals(audio.subarray(100, 200))).toBe(true);
  });
});
