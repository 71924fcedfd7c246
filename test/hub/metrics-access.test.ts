import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildBin, conn, serveHub, type HubProcess } from '../sync/conn-bin.js';
import { startHub, type HubFixture } from './hub-fixture.js';

/*
 * Who may read the hub's /metrics, and where: a bearer token, and a listener of its own that
 * serves nothing but /metrics and /healthz. In-process hubs for the rules, the real
 * `conn hub serve` for its flags.
 */

const TOKEN = 'metrics-0123456789abcdef0123456789';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function status(url: string, headers: Record<string, string> = {}): Promise<number> {
  return (await fetch(url, { headers })).status;
}

describe('the hub with a metrics token', () => {
  let f: HubFixture;
  beforeAll(async () => {
    f = await startHub({ metricsAccess: { token: TOKEN } });
  });
  afterAll(() => f.dispose());

  it('refuses /metrics without the token with 401, saying what to send', async () => {
    const res = await fetch(`${f.hub.url}/metrics`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="conn-hub-metrics"');
    expect(await res.text()).toMatch(/Authorization: Bearer TOKEN/);
  });

  it('refuses a wrong token, a prefix of the right one and another scheme', async () => {
    for (const authorization of ['Bearer wrong', `Bearer ${TOKEN.slice(0, -1)}`, `Bearer ${TOKEN}x`, `Basic ${TOKEN}`, TOKEN, 'Bearer ']) {
      expect([authorization, await status(`${f.hub.url}/metrics`, { authorization })]).toEqual([authorization, 401]);
    }
  });

  it('serves the metrics to the token', async () => {
    const res = await fetch(`${f.hub.url}/metrics`, { headers: bearer(TOKEN) });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^conn_hub_connections \d+$/m);
  });

  it('keeps /healthz open: load balancers send no token', async () => {
    expect(await status(`${f.hub.url}/healthz`)).toBe(200);
  });
});

describe('the hub with a separate metrics listener', () => {
  let f: HubFixture;
  beforeAll(async () => {
    f = await startHub({ metricsAccess: { token: TOKEN, listener: { host: '127.0.0.1', port: 0 } } });
  });
  afterAll(() => f.dispose());

  it('serves /metrics there, to the token only', async () => {
    expect(f.hub.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(f.hub.metricsUrl).not.toBe(f.hub.url);
    expect(await status(`${f.hub.metricsUrl}/metrics`)).toBe(401);
    expect(await status(`${f.hub.metricsUrl}/metrics`, bearer(TOKEN))).toBe(200);
  });

  it('no longer serves /metrics on the main listener, token or not', async () => {
    expect(await status(`${f.hub.url}/metrics`, bearer(TOKEN))).toBe(404);
    expect(await status(`${f.hub.url}/healthz`)).toBe(200);
  });

  it('serves only /metrics and /healthz there: not the sync protocol', async () => {
    expect(await status(`${f.hub.metricsUrl}/healthz`)).toBe(200);
    expect(await status(`${f.hub.metricsUrl}/socket.io/?EIO=4&transport=polling`)).toBe(404);
    expect(await status(`${f.hub.metricsUrl}/`)).toBe(404);
  });

  it('stops listening when the hub closes', async () => {
    const g = await startHub({ metricsAccess: { listener: { host: '127.0.0.1', port: 0 } } });
    const url = `${g.hub.metricsUrl}/healthz`;
    expect(await status(url)).toBe(200);
    await g.dispose();
    await expect(fetch(url)).rejects.toThrow();
  });
});

describe('conn hub serve --metrics-port, --metrics-host and --metrics-token', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'conn-hub-metrics-'));
  let serving: HubProcess | null = null;
  beforeAll(() => buildBin(), 60_000);
  afterEach(async () => {
    serving?.child.kill('SIGTERM');
    await serving?.exited;
    serving = null;
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('serves /metrics on its own loopback listener, to the token from the flag', async () => {
    serving = await serveHub(path.join(work, 'flag'), 0, {}, ['--metrics-port', '0', '--metrics-host', '127.0.0.1', '--metrics-token', TOKEN]);
    expect(serving.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(await status(serving.metricsUrl)).toBe(401);
    expect(await status(serving.metricsUrl, bearer(TOKEN))).toBe(200);
    expect(await status(`${serving.url}/metrics`, bearer(TOKEN))).toBe(404);
  });

  it('takes the token from CONN_HUB_METRICS_TOKEN, keeping it off the command line', async () => {
    serving = await serveHub(path.join(work, 'env'), 0, { CONN_HUB_METRICS_TOKEN: TOKEN });
    expect(serving.metricsUrl).toBe(`${serving.url}/metrics`);
    expect(await status(serving.metricsUrl)).toBe(401);
    expect(await status(serving.metricsUrl, bearer(TOKEN))).toBe(200);
  });

  it('refuses a metrics token too short to be secret, before listening', () => {
    const r = conn(path.join(work, 'short'), ['hub', 'serve', '--port', '0', '--metrics-token', 'secret']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('conn: the metrics token must be at least 16 characters: make one with `openssl rand -hex 32`\n');
  });
});
