import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { CoreNotification } from '../../shared/api/contract.js';
import { CONTENT_SECURITY_POLICY } from '../shell/app-protocol.js';
import { startWebHost, type WebHost } from './web-host.js';

/*
 * Real HTTP and WebSocket requests against a real listening host. The RPC side is a stub:
 * these tests are about who gets in, not about the core.
 */

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(port: number, urlPath: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: urlPath, method, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function openSocket(url: string, headers: Record<string, string>): Promise<{ ws: WebSocket } | { status: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    ws.once('error', () => resolve({ status: -1 }));
  });
}

let dir: string;
let host: WebHost;
const listeners = new Set<(n: CoreNotification) => void>();
const TOKEN = 'test-token-0123456789abcdef';

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'conn-web-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Conn</title>');
  writeFileSync(path.join(dir, 'assets', 'app-1234.js'), 'console.log(1)');
  writeFileSync(path.join(dir, '..', 'conn-web-secret.txt'), 'secret');
  host = await startWebHost({
    staticDir: dir,
    port: 0,
    token: TOKEN,
    rpc: {
      handle: async (raw) => JSON.stringify({ id: (JSON.parse(raw) as { id: number }).id, result: { echoed: JSON.parse(raw) } }),
      onNotification: (l) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
    },
  });
});

afterAll(async () => {
  await host.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(path.join(dir, '..', 'conn-web-secret.txt'), { force: true });
});

describe('conn web over HTTP', () => {
  it('prints a loopback URL that carries the token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${TOKEN}`);
  });

  it('refuses a request without the token with 401', async () => {
    const r = await get(host.port, '/');
    expect(r.status).toBe(401);
    expect(r.body).not.toContain('<title>');
  });

  it('refuses a wrong token with 401', async () => {
    expect((await get(host.port, '/?token=nope')).status).toBe(401);
    expect((await get(host.port, '/', { cookie: 'conn_token=nope' })).status).toBe(401);
  });

  it('serves the page for the token in the query and sets an HttpOnly SameSite cookie', async () => {
    const r = await get(host.port, `/?token=${TOKEN}`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(String(r.headers['set-cookie'])).toMatch(/^conn_token=.+; Path=\/; HttpOnly; SameSite=Strict/);
  });

  it('serves assets to the cookie alone, with their MIME type', async () => {
    const r = await get(host.port, '/assets/app-1234.js', { cookie: `other=1; conn_token=${TOKEN}` });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(r.body).toBe('console.log(1)');
  });

  it('sends CSP, nosniff and frame-ancestors none on every answer, refusals included', async () => {
    for (const r of [await get(host.port, `/?token=${TOKEN}`), await get(host.port, '/')]) {
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(String(r.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
      expect(String(r.headers['content-security-policy'])).toContain("script-src 'self'");
    }
  });

  it("lets the page connect only to its own origin's socket, named exactly", async () => {
    const policy = (r: Reply) => String(r.headers['content-security-policy']).split('; ').find((d) => d.startsWith('connect-src'));
    expect(policy(await get(host.port, `/?token=${TOKEN}`))).toBe(`connect-src 'self' ws://127.0.0.1:${host.port}`);
    expect(policy(await get(host.port, `/?token=${TOKEN}`, { host: `LOCALHOST:${host.port}` }))).toBe(`connect-src 'self' ws://localhost:${host.port}`);
  });

  it("sends the desktop app's app:// policy, but for connect-src", async () => {
    const withoutConnect = (csp: string) => csp.split('; ').filter((d) => !d.startsWith('connect-src'));
    const r = await get(host.port, '/assets/app-1234.js', { cookie: `conn_token=${TOKEN}` });
    expect(withoutConnect(String(r.headers['content-security-policy']))).toEqual(withoutConnect(CONTENT_SECURITY_POLICY));
  });

  it.each(['evil.example.com', `evil.example.com:${0}`, 'attacker.test:80', '127.0.0.1', '127.0.0.1:1'])(
    'refuses a foreign Host header (%s) with 421 even with the token',
    async (hostHeader) => {
      const r = await get(host.port, `/?token=${TOKEN}`, { host: hostHeader });
      expect(r.status).toBe(421);
    },
  );

  it('accepts localhost:PORT as the Host', async () => {
    expect((await get(host.port, `/?token=${TOKEN}`, { host: `localhost:${host.port}` })).status).toBe(200);
  });

  it('never serves a file outside the renderer folder', async () => {
    for (const p of ['/../conn-web-secret.txt', '/%2e%2e/conn-web-secret.txt', '/assets/..%2f..%2fconn-web-secret.txt']) {
      const r = await get(host.port, p, { cookie: `conn_token=${TOKEN}` });
      expect(r.body).not.toBe('secret');
    }
  });

  it('refuses writes with 405', async () => {
    expect((await get(host.port, '/', { cookie: `conn_token=${TOKEN}` }, 'POST')).status).toBe(405);
  });
});

describe('the one-time launch link (conn web --open)', () => {
  const nonceOf = (link: string) => new URL(link).searchParams.get('nonce') ?? '';
  const pathOf = (link: string) => `/launch?nonce=${nonceOf(link)}`;

  it('is a loopback link without the token', () => {
    const link = host.launchUrl();
    expect(link).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/launch\\?nonce=[\\w-]{43}$`));
    expect(link).not.toContain(TOKEN);
    expect(nonceOf(host.launchUrl())).not.toBe(nonceOf(link));
  });

  it('is traded for the HttpOnly SameSite token cookie and a redirect to the cockpit', async () => {
    const r = await get(host.port, pathOf(host.launchUrl()));
    expect(r.status).toBe(303);
    expect(r.headers['location']).toBe('/');
    expect(r.headers['set-cookie']).toEqual([`conn_token=${TOKEN}; Path=/; HttpOnly; SameSite=Strict`]);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.body).not.toContain(TOKEN);
  });

  it('works once: a second use is refused with 401 and no cookie', async () => {
    const link = pathOf(host.launchUrl());
    expect((await get(host.port, link)).status).toBe(303);
    const again = await get(host.port, link);
    expect(again.status).toBe(401);
    expect(again.headers['set-cookie']).toBeUndefined();
    expect(again.body).toMatch(/used already or is over a minute old/);
  });

  it('refuses a nonce it never made, or none', async () => {
    for (const p of ['/launch', '/launch?nonce=', `/launch?nonce=${'A'.repeat(43)}`, `/launch?nonce=${TOKEN}`]) {
      const r = await get(host.port, p);
      expect([p, r.status, r.headers['set-cookie']]).toEqual([p, 401, undefined]);
    }
  });

  it('is refused under a foreign Host header, and still works from the real one afterwards', async () => {
    const link = pathOf(host.launchUrl());
    expect((await get(host.port, link, { host: 'evil.example.com' })).status).toBe(421);
    expect((await get(host.port, link)).status).toBe(303);
  });

  it('expires a minute after it was made', async () => {
    let now = 1_000_000;
    const clocked = await startWebHost({ staticDir: dir, port: 0, token: TOKEN, now: () => now, rpc: { handle: async () => '{}', onNotification: () => () => undefined } });
    try {
      const fresh = pathOf(clocked.launchUrl());
      const stale = pathOf(clocked.launchUrl());
      now += 59_000;
      expect((await get(clocked.port, fresh)).status).toBe(303);
      now += 1_000;
      expect((await get(clocked.port, stale)).status).toBe(401);
    } finally {
      await clocked.close();
    }
  });
});

describe('conn web given headers no browser would send', () => {
  it('answers a token cookie that is not valid percent-encoding with 401 and keeps serving', async () => {
    const r = await get(host.port, '/', { cookie: 'conn_token=%' });
    expect(r.status).toBe(401);
    expect((await get(host.port, '/', { cookie: `conn_token=${TOKEN}` })).status).toBe(200);
  });

  it('refuses a socket whose token cookie is not valid percent-encoding, and keeps serving', async () => {
    const origin = `http://127.0.0.1:${host.port}`;
    expect(await openSocket(`ws://127.0.0.1:${host.port}/rpc`, { origin, cookie: 'conn_token=%E0%A4%A' })).toEqual({ status: 401 });
    const r = await openSocket(`ws://127.0.0.1:${host.port}/rpc`, { origin, cookie: `conn_token=${TOKEN}` });
    expect('ws' in r).toBe(true);
    if ('ws' in r) r.ws.close();
  });

  it('answers a request target that is not a URL path (//) without falling over', async () => {
    expect((await get(host.port, '//')).status).toBe(401);
    expect((await get(host.port, '//', { cookie: `conn_token=${TOKEN}` })).status).toBe(404);
    expect((await get(host.port, '/', { cookie: `conn_token=${TOKEN}` })).status).toBe(200);
  });
});

describe('conn web over the WebSocket', () => {
  const wsUrl = () => `ws://127.0.0.1:${host.port}/rpc?token=${TOKEN}`;
  const origin = () => `http://127.0.0.1:${host.port}`;

  it('refuses a socket without the token', async () => {
    const r = await openSocket(`ws://127.0.0.1:${host.port}/rpc`, { origin: origin() });
    expect(r).toEqual({ status: 401 });
  });

  it('refuses a socket opened from a foreign origin, token or not', async () => {
    const r = await openSocket(wsUrl(), { origin: 'http://evil.example.com' });
    expect(r).toEqual({ status: 403 });
  });

  it('refuses a socket with a foreign Host header', async () => {
    const r = await openSocket(wsUrl(), { origin: origin(), host: 'evil.example.com' });
    expect(r).toEqual({ status: 421 });
  });

  it('answers RPC strings and pushes notifications to an authorised socket', async () => {
    const r = await openSocket(wsUrl(), { origin: origin() });
    if (!('ws' in r)) throw new Error(`socket refused: ${r.status}`);
    const messages: unknown[] = [];
    const got = new Promise<void>((resolve) => {
      r.ws.on('message', (d) => {
        messages.push(JSON.parse(String(d)));
        if (messages.length === 2) resolve();
      });
    });
    r.ws.send(JSON.stringify({ id: 7, method: 'profile.get', params: {} }));
    await expect.poll(() => listeners.size).toBe(1);
    for (const l of listeners) l({ type: 'incidents-changed' });
    await got;
    expect(messages).toContainEqual({ id: 7, result: { echoed: { id: 7, method: 'profile.get', params: {} } } });
    expect(messages).toContainEqual({ type: 'incidents-changed' });
    r.ws.close();
    await expect.poll(() => listeners.size).toBe(0);
  });

  it('accepts the cookie instead of the query token', async () => {
    const r = await openSocket(`ws://127.0.0.1:${host.port}/rpc`, { origin: origin(), cookie: `conn_token=${TOKEN}` });
    expect('ws' in r).toBe(true);
    if ('ws' in r) r.ws.close();
  });
});
