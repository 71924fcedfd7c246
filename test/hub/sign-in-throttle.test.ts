import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import { WebSocket } from 'ws';
import { client, startHub, type HubFixture } from './hub-fixture.js';
import { HUB_PROTOCOL_VERSION } from '../../shared/sync/protocol.js';

/*
 * Token guessing on a real hub over loopback, with the default sign-in limits (10 failures a
 * minute per address, 3 per connection). Each test connects from its own 127.x address, which
 * Linux routes over loopback, so the hub sees distinct real clients.
 */

let f: HubFixture;
let good: string;
/** How many tokens the hub's store was asked to check. */
let checks = 0;

beforeAll(async () => {
  f = await startHub();
  good = await f.invite('payments', 'Ana');
  const authenticate = f.store.authenticate.bind(f.store);
  f.store.authenticate = (token) => {
    checks += 1;
    return authenticate(token);
  };
});
afterAll(() => f.dispose());

type Refusal = Error & { data?: { code: string; message: string; retryAfterMs?: number } };

/** Tries a token from `from`; resolves with the refusal, or null when it connected. */
async function attempt(token: string, from: string): Promise<Refusal['data'] | null> {
  try {
    (await client(f.hub.url, token, from)).close();
    return null;
  } catch (err) {
    return (err as Refusal).data ?? { code: 'transport', message: (err as Error).message };
  }
}

const guess = (i: number) => `conn_00000000-0000-4000-8000-${String(i).padStart(12, '0')}_${'g'.repeat(43)}`;

describe('guessing tokens from one address', () => {
  it('has 2,000 guesses checked only up to the threshold and the rest refused at once, unchecked', async () => {
    const before = checks;
    const started = Date.now();
    const answers: Array<Refusal['data'] | null> = [];
    for (let wave = 0; wave < 20; wave++) {
      answers.push(...(await Promise.all(Array.from({ length: 100 }, (_, i) => attempt(guess(wave * 100 + i), '127.0.0.2')))));
    }
    const seconds = (Date.now() - started) / 1000;

    expect(answers.filter((a) => a?.code === 'unauthenticated')).toHaveLength(10);
    const limited = answers.filter((a) => a?.code === 'rate-limited');
    expect(limited).toHaveLength(1990);
    expect(limited[0]!.message).toMatch(/^too many failed sign-ins from 127\.0\.0\.2: the hub refuses sign-ins from 127\.0\.0\.2 for \d+s without checking their tokens/);
    for (const l of limited) expect(l!.retryAfterMs).toBeGreaterThan(0);
    // Ten tokens were looked at, however many were sent: guessing got the guesser nowhere.
    expect(checks - before).toBe(10);
    // Refusals cost a handshake and nothing else; two thousand of them fit well within the block.
    expect(seconds).toBeLessThan(30);

    // The address is refused even with a good token (its token is not looked at either)…
    expect(await attempt(good, '127.0.0.2')).toMatchObject({ code: 'rate-limited' });
    // …while the same good token from another address connects at once.
    expect(await attempt(good, '127.0.0.3')).toBeNull();
  }, 60_000);

  it('never slows successful sign-ins, even beside failures just under the threshold', async () => {
    for (let i = 0; i < 9; i++) expect(await attempt(guess(i), '127.0.0.4')).toMatchObject({ code: 'unauthenticated' });
    const answers = await Promise.all(Array.from({ length: 50 }, () => attempt(good, '127.0.0.4')));
    expect(answers.every((a) => a === null)).toBe(true);
  });
});

describe('one connection sending token after token', () => {
  it('is refused, unchecked, after three failures on it, though its address is under its own limit', async () => {
    const before = checks;
    const ws = new WebSocket(`${f.hub.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`, { localAddress: '127.0.0.5' });
    const errors: Array<{ code: string; message: string }> = [];
    const done = new Promise<void>((resolve) => {
      ws.on('message', (raw: Buffer) => {
        const frame = raw.toString();
        // engine.io: '0' opens, '2' pings; socket.io over it: '4' + '0' connect, '4' + '4' connect_error.
        if (frame.startsWith('0')) for (let i = 0; i < 20; i++) ws.send(`40${JSON.stringify({ token: guess(i), protocol: HUB_PROTOCOL_VERSION })}`);
        else if (frame === '2') ws.send('3');
        else if (frame.startsWith('44')) {
          errors.push((JSON.parse(frame.slice(2)) as { data: { code: string; message: string } }).data);
          if (errors.length === 20) resolve();
        }
      });
    });
    await done;
    ws.close();
    expect(errors.filter((e) => e.code === 'unauthenticated')).toHaveLength(3);
    const limited = errors.filter((e) => e.code === 'rate-limited');
    expect(limited).toHaveLength(17);
    expect(limited[0]!.message).toMatch(/^too many failed sign-ins on this connection/);
    expect(checks - before).toBe(3);
    // The address itself is not blocked: a new connection from it signs in.
    expect(await attempt(good, '127.0.0.5')).toBeNull();
  });
});

describe('a hub behind a reverse proxy (--trust-proxy)', () => {
  /** Signs in as a client the proxy says is `client`; resolves with the refusal or null. */
  const viaProxy = (url: string, token: string, client: string) =>
    new Promise<Refusal['data'] | null>((resolve) => {
      const s = connect(url, { transports: ['websocket'], reconnection: false, auth: { token, protocol: HUB_PROTOCOL_VERSION }, extraHeaders: { 'x-forwarded-for': `198.51.100.1, ${client}` } });
      s.once('connect', () => (s.close(), resolve(null)));
      s.once('connect_error', (err: Refusal) => (s.close(), resolve(err.data ?? null)));
    });

  it("limits each forwarded client, so one guesser behind the proxy does not lock out the team", async () => {
    const proxied = await startHub({ trustProxy: true });
    try {
      const token = await proxied.invite('payments', 'Ana');
      for (let i = 0; i < 10; i++) expect(await viaProxy(proxied.hub.url, guess(i), '203.0.113.7')).toMatchObject({ code: 'unauthenticated' });
      expect(await viaProxy(proxied.hub.url, guess(10), '203.0.113.7')).toMatchObject({ code: 'rate-limited', message: expect.stringContaining('from 203.0.113.7') });
      // Every connection comes from the same proxy (127.0.0.1 here), yet Ana's gets in.
      expect(await viaProxy(proxied.hub.url, token, '203.0.113.8')).toBeNull();
    } finally {
      await proxied.dispose();
    }
  });

  it('is not the default: a client cannot escape its limit by claiming another address', async () => {
    for (let i = 0; i < 10; i++) await viaProxy(f.hub.url, guess(i), `203.0.113.${i}`);
    expect(await viaProxy(f.hub.url, guess(10), '203.0.113.99')).toMatchObject({ code: 'rate-limited', message: expect.stringContaining('from 127.0.0.1') });
  });
});

describe('metrics', () => {
  const read = async () => {
    const text = await (await fetch(`${f.hub.url}/metrics`)).text();
    const num = (re: RegExp) => Number(re.exec(text)?.[1] ?? 0);
    return { failures: num(/^conn_hub_auth_failures_total (\d+)$/m), byAddress: num(/^conn_hub_rate_limited_total\{kind="auth-address"\} (\d+)$/m) };
  };

  it('count failed sign-ins and the refusals, by the limit that refused them', async () => {
    const before = await read();
    for (let i = 0; i < 12; i++) await attempt(guess(i), '127.0.0.6');
    const after = await read();
    expect(after.failures - before.failures).toBe(10);
    expect(after.byAddress - before.byAddress).toBe(2);
  });
});
