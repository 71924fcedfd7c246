import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnEvent } from '../../shared/domain/events.js';
import { newId } from '../../shared/domain/ids.js';
import { refFromId } from '../../shared/domain/incident-ref.js';
import { DELIVERY_HUB_EVENTS, type DeliveriesListResponse, type DeliveryStatus } from '../../shared/updates/delivery-protocol.js';
import { checkChannel, type ChannelInput } from '../../server/updates/channel-config.js';
import { backoffMs, DEFAULT_BACKOFF } from '../../server/updates/deliverer.js';
import { client, declare, makeEvent, startHub, type HubFixture } from './hub-fixture.js';
import { startReceiver, type Receiver } from './update-receiver.js';

/*
 * Stakeholder-update delivery against real HTTP receivers on loopback: a hub with its SQLite
 * store, an update pushed by a cockpit's socket, and what the receiver gets. Timeouts and
 * backoff are shrunk so retries take milliseconds, not minutes.
 */

const SECRET = 'a-webhook-secret-of-32-characters';
const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Setup {
  fx: HubFixture;
  socket: Socket;
  incidentId: string;
}

async function setup(channels: Array<Omit<ChannelInput, 'name'> & { name?: string }>, delivery = {}): Promise<Setup> {
  const fx = await startHub({ delivery: { timeoutMs: 400, pollMs: 50, backoff: { baseMs: 40, maxMs: 200, attempts: 6 }, ...delivery } });
  cleanups.push(() => fx.dispose());
  const token = await fx.invite('payments', 'Alice', 'admin');
  for (const [i, c] of channels.entries()) await fx.store.deliveries.addChannel('payments', checkChannel({ name: `ch${i}`, ...c }));
  const socket = await client(fx.hub.url, token);
  cleanups.push(() => socket.close());
  const incidentId = newId();
  await push(socket, [declare(incidentId)]);
  return { fx, socket, incidentId };
}

async function push(socket: Socket, events: ConnEvent[]): Promise<void> {
  const ack = (await socket.timeout(10_000).emitWithAck('push', { events })) as { rejected: unknown[] };
  expect(ack.rejected).toEqual([]);
}

function update(incidentId: string, text: string, audience?: string): ConnEvent {
  return makeEvent(incidentId, 'update.posted', { text, ...(audience ? { audience } : {}) });
}

async function deliveries(s: Setup): Promise<DeliveryStatus[]> {
  const r = (await s.socket.timeout(5000).emitWithAck(DELIVERY_HUB_EVENTS.list, { incidentId: s.incidentId })) as DeliveriesListResponse;
  return r.deliveries;
}

async function until<T>(what: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await what();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out; last: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 30));
  }
}

async function receiver(): Promise<Receiver> {
  const r = await startReceiver();
  cleanups.push(() => r.close());
  return r;
}

describe('stakeholder-update delivery', () => {
  it('signs a webhook with HMAC-SHA256 over timestamp.body, and the receiver can verify it', async () => {
    const rx = await receiver();
    const s = await setup([{ kind: 'webhook', url: `${rx.url}/hook`, secret: SECRET }]);
    const u = update(s.incidentId, 'Rolled back 4.2.1; error rate falling', 'customers');
    await push(s.socket, [u]);
    await rx.waitFor(1);
    const req = rx.requests[0]!;
    const ts = req.headers['x-conn-timestamp'] as string;
    const expected = `sha256=${createHmac('sha256', SECRET).update(`${ts}.${req.body}`).digest('hex')}`;
    expect(req.headers['x-conn-signature']).toBe(expected);
    expect(req.headers['idempotency-key']).toBe(u.id);
    expect(Math.abs(Number(ts) - Date.now() / 1000)).toBeLessThan(60);
    const body = JSON.parse(req.body) as { type: string; id: string; team: string; incident: Record<string, unknown>; update: Record<string, unknown> };
    expect(body).toMatchObject({
      type: 'conn.update.posted',
      id: u.id,
      team: 'payments',
      incident: { id: s.incidentId, ref: refFromId(s.incidentId), title: 'Checkout down', severity: 'SEV1', status: 'triage' },
      update: { text: 'Rolled back 4.2.1; error rate falling', audience: 'customers', author: 'Alice' },
    });
    // A body tampered with in transit no longer matches.
    const forged = `sha256=${createHmac('sha256', SECRET).update(`${ts}.${req.body.replace('falling', 'rising')}`).digest('hex')}`;
    expect(forged).not.toBe(req.headers['x-conn-signature']);
    const [d] = await until(() => deliveries(s), (l) => l[0]?.state === 'delivered');
    expect(d).toMatchObject({ updateId: u.id, channel: 'ch0', kind: 'webhook', state: 'delivered', attempts: 1, lastStatus: 200 });
  });

  it('retries a receiver that fails 3 times, with the same key and body, and it then sees the update once', async () => {
    const rx = await receiver();
    rx.answer = (_req, n) => (n <= 3 ? { status: 503, body: 'down for maintenance' } : { status: 202 });
    const s = await setup([{ kind: 'webhook', url: rx.url, secret: SECRET }]);
    const u = update(s.incidentId, 'Still investigating');
    await push(s.socket, [u]);
    const [d] = await until(() => deliveries(s), (l) => l[0]?.state === 'delivered');
    expect(rx.requests).toHaveLength(4);
    expect(new Set(rx.requests.map((r) => r.headers['idempotency-key']))).toEqual(new Set([u.id]));
    expect(new Set(rx.requests.map((r) => r.body)).size).toBe(1);
    expect(rx.seen.size).toBe(1);
    expect(d).toMatchObject({ state: 'delivered', attempts: 4, lastStatus: 202 });
  });

  it('shows a retrying delivery as queued with the receiver\'s status and answer', async () => {
    const rx = await receiver();
    rx.answer = () => ({ status: 500, body: 'database is on fire' });
    const s = await setup([{ kind: 'webhook', url: rx.url, secret: SECRET }], { backoff: { baseMs: 60_000, maxMs: 60_000, attempts: 5 } });
    await push(s.socket, [update(s.incidentId, 'Update')]);
    const [d] = await until(() => deliveries(s), (l) => (l[0]?.attempts ?? 0) >= 1 && l[0]?.lastStatus !== null);
    expect(d).toMatchObject({ state: 'queued', attempts: 1, lastStatus: 500, lastResponse: 'database is on fire' });
    expect(Date.parse(d!.nextAttemptAt!)).toBeGreaterThan(Date.now() + 20_000);
  });

  it('gives up at once on a refusal that will not change (401), as failed with the answer', async () => {
    const rx = await receiver();
    rx.answer = () => ({ status: 401, body: '{"error":"bad signature"}' });
    const s = await setup([{ kind: 'webhook', url: rx.url, secret: SECRET }]);
    await push(s.socket, [update(s.incidentId, 'Update')]);
    const [d] = await until(() => deliveries(s), (l) => l[0]?.state === 'failed');
    expect(d).toMatchObject({ state: 'failed', attempts: 1, lastStatus: 401, lastResponse: '{"error":"bad signature"}' });
    expect(rx.requests).toHaveLength(1);
  });

  it('times out a receiver that hangs and retries it with the same key', async () => {
    const rx = await receiver();
    rx.answer = (_req, n) => (n === 1 ? 'hang' : { status: 200 });
    const s = await setup([{ kind: 'webhook', url: rx.url, secret: SECRET }]);
    const u = update(s.incidentId, 'Update');
    const started = Date.now();
    await push(s.socket, [u]);
    const [d] = await until(() => deliveries(s), (l) => l[0]?.state === 'delivered');
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(rx.requests.map((r) => r.headers['idempotency-key'])).toEqual([u.id, u.id]);
    expect(d).toMatchObject({ state: 'delivered', attempts: 2 });
  });

  it('closes without waiting out a hanging receiver, and the next hub on the same store sends the update again', async () => {
    const rx = await receiver();
    rx.answer = (_req, n) => (n === 1 ? 'hang' : { status: 200 });
    const dir = mkdtempSync(path.join(tmpdir(), 'conn-hub-close-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const delivery = { timeoutMs: 30_000, leaseMs: 300, pollMs: 50 };
    const first = await startHub({ dir, delivery });
    const token = await first.invite('payments', 'Alice', 'admin');
    await first.store.deliveries.addChannel('payments', checkChannel({ name: 'hook', kind: 'webhook', url: rx.url, secret: SECRET }));
    const socket = await client(first.hub.url, token);
    const incidentId = newId();
    const u = update(incidentId, 'Update');
    await push(socket, [declare(incidentId), u]);
    await rx.waitFor(1);
    socket.close();
    const closing = Date.now();
    await first.dispose();
    expect(Date.now() - closing).toBeLessThan(5_000);

    const second = await startHub({ dir, delivery });
    cleanups.push(() => second.dispose());
    await rx.waitFor(2);
    expect(rx.requests.map((r) => r.headers['idempotency-key'])).toEqual([u.id, u.id]);
    const teamId = (await second.store.authenticate(token))!.teamId;
    const [d] = await until(() => second.store.deliveries.forIncident(teamId, incidentId), (l) => l[0]?.state === 'delivered');
    expect(d).toMatchObject({ state: 'delivered', attempts: 2 });
  });

  it('sends Slack the incoming-webhook shape', async () => {
    const rx = await receiver();
    const s = await setup([{ kind: 'slack', url: `${rx.url}/services/T0/B0/x` }]);
    await push(s.socket, [update(s.incidentId, 'Rolled back <4.2.1> & watching', 'executives')]);
    await rx.waitFor(1);
    const req = rx.requests[0]!;
    expect(req.url).toBe('/services/T0/B0/x');
    expect(req.headers['x-conn-signature']).toBeUndefined();
    const body = JSON.parse(req.body) as { text: string; blocks: Array<{ type: string; text?: { type: string; text: string }; elements?: Array<{ text: string }> }> };
    const ref = refFromId(s.incidentId);
    expect(body.text).toBe(`SEV1 ${ref}: Checkout down (triage)\nRolled back &lt;4.2.1&gt; &amp; watching`);
    expect(body.blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: `*SEV1 ${ref}: Checkout down (triage)*\nRolled back &lt;4.2.1&gt; &amp; watching` } });
    expect(body.blocks[1]!.elements![0]!.text).toBe('Posted by Alice for executives');
  });

  it('creates a Statuspage incident on the first customer update and updates it after, with the OAuth key', async () => {
    const rx = await receiver();
    rx.answer = (req) => (req.method === 'POST' ? { status: 201, body: '{"id":"sp-inc-1","name":"x"}' } : { status: 200, body: '{"id":"sp-inc-1"}' });
    const s = await setup([{ kind: 'statuspage', url: rx.url, pageId: 'pg123', apiKey: 'sp-key-123456' }]);
    await push(s.socket, [update(s.incidentId, 'Internal only: not for the status page', 'internal')]);
    await push(s.socket, [update(s.incidentId, 'We are investigating errors at checkout', 'customers')]);
    await push(s.socket, [makeEvent(s.incidentId, 'status.changed', { status: 'monitoring' }), update(s.incidentId, 'A fix is deployed; we are monitoring', 'customers')]);
    await rx.waitFor(2);
    const [first, second] = rx.requests;
    expect(first).toMatchObject({ method: 'POST', url: '/v1/pages/pg123/incidents' });
    expect(first!.headers.authorization).toBe('OAuth sp-key-123456');
    expect(JSON.parse(first!.body)).toEqual({
      incident: { name: `Checkout down (${refFromId(s.incidentId)})`, status: 'investigating', body: 'We are investigating errors at checkout', impact_override: 'critical' },
    });
    expect(second).toMatchObject({ method: 'PATCH', url: '/v1/pages/pg123/incidents/sp-inc-1' });
    expect(JSON.parse(second!.body)).toEqual({ incident: { status: 'monitoring', body: 'A fix is deployed; we are monitoring', impact_override: 'critical' } });
    const list = await until(() => deliveries(s), (l) => l.length === 2 && l.every((d) => d.state === 'delivered'));
    expect(list).toHaveLength(2);
    expect(rx.requests).toHaveLength(2);
  });

  it('queues an update only for the channels its team has, and a refused update for none', async () => {
    const rx = await receiver();
    const s = await setup([{ kind: 'webhook', url: rx.url, secret: SECRET }]);
    const viewer = await s.fx.invite('payments', 'Vic', 'viewer');
    const vs = await client(s.fx.hub.url, viewer);
    cleanups.push(() => vs.close());
    const ack = (await vs.timeout(5000).emitWithAck('push', { events: [update(s.incidentId, 'from a viewer')] })) as { rejected: Array<{ code: string }> };
    expect(ack.rejected[0]!.code).toBe('forbidden');
    await push(s.socket, [update(s.incidentId, 'accepted')]);
    await rx.waitFor(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(rx.requests.map((r) => (JSON.parse(r.body) as { update: { text: string } }).update.text)).toEqual(['accepted']);
  });

  it('answers another team\'s incident with no deliveries', async () => {
    const rx = await receiver();
    const s = await setup([{ kind: 'webhook', url: rx.url, secret: SECRET }]);
    await push(s.socket, [update(s.incidentId, 'Update')]);
    await rx.waitFor(1);
    const other = await client(s.fx.hub.url, await s.fx.invite('search', 'Eve'));
    cleanups.push(() => other.close());
    const r = (await other.timeout(5000).emitWithAck(DELIVERY_HUB_EVENTS.list, { incidentId: s.incidentId })) as DeliveriesListResponse;
    expect(r.deliveries).toEqual([]);
    const bad = (await other.timeout(5000).emitWithAck(DELIVERY_HUB_EVENTS.list, { incidentId: 42 })) as { error: { code: string } };
    expect(bad.error.code).toBe('invalid-input');
  });
});

describe('channel configuration', () => {
  const cases: Array<[string, ChannelInput, RegExp]> = [
    ['a webhook without a secret', { name: 'hook', kind: 'webhook', url: 'https://example.test/h' }, /--secret of at least 16/],
    ['a short secret', { name: 'hook', kind: 'webhook', url: 'https://example.test/h', secret: 'short' }, /at least 16/],
    ['a URL that is not one', { name: 'hook', kind: 'slack', url: 'hooks.slack.com/x' }, /not a URL/],
    ['a file: URL', { name: 'hook', kind: 'slack', url: 'file:///etc/passwd' }, /http:\/\/ or https:\/\//],
    ['credentials in the URL', { name: 'hook', kind: 'slack', url: 'https://u:p@example.test/' }, /must not carry a user/],
    ['a statuspage without a page id', { name: 'sp', kind: 'statuspage', url: '', apiKey: 'k-12345678' }, /--page-id/],
    ['a statuspage without a key', { name: 'sp', kind: 'statuspage', url: '', pageId: 'abc' }, /--api-key/],
    ['a secret on a Slack channel', { name: 'hook', kind: 'slack', url: 'https://hooks.slack.test/x', secret: SECRET }, /for webhook channels/],
    ['an unknown kind', { name: 'hook', kind: 'pagerduty' as never, url: 'https://x.test/' }, /--kind must be one of/],
    ['a name with spaces', { name: 'my hook', kind: 'slack', url: 'https://x.test/' }, /not a channel name/],
  ];
  it.each(cases)('refuses %s with the reason', (_what, input, reason) => {
    expect(() => checkChannel(input)).toThrow(reason);
  });

  it('refuses a second channel of the same name in a team, and a team that does not exist, changing nothing', async () => {
    const fx = await startHub({ delivery: false });
    cleanups.push(() => fx.dispose());
    await fx.invite('payments', 'Alice');
    await fx.store.deliveries.addChannel('payments', checkChannel({ name: 'ops', kind: 'slack', url: 'https://hooks.slack.test/a' }));
    await expect(fx.store.deliveries.addChannel('payments', checkChannel({ name: 'OPS', kind: 'slack', url: 'https://hooks.slack.test/b' }))).rejects.toThrow(/already has a channel/);
    await expect(fx.store.deliveries.addChannel('nope', checkChannel({ name: 'ops', kind: 'slack', url: 'https://hooks.slack.test/b' }))).rejects.toThrow(/no team "nope"/);
    expect(await fx.store.deliveries.channels('payments')).toEqual([expect.objectContaining({ name: 'ops', kind: 'slack', target: 'https://hooks.slack.test/…' })]);
  });

  it('defaults a statuspage channel to Atlassian\'s API', () => {
    expect(checkChannel({ name: 'sp', kind: 'statuspage', url: '', pageId: 'abc', apiKey: 'k-12345678' }).url).toBe('https://api.statuspage.io');
  });
});

describe('backoff', () => {
  it('doubles per attempt up to the cap, with jitter between half and all of the step', () => {
    const policy = { ...DEFAULT_BACKOFF, baseMs: 1000, maxMs: 8000 };
    expect([1, 2, 3, 4, 5].map((a) => backoffMs(a, policy, () => 1))).toEqual([1000, 2000, 4000, 8000, 8000]);
    expect([1, 2, 3, 4, 5].map((a) => backoffMs(a, policy, () => 0))).toEqual([500, 1000, 2000, 4000, 4000]);
  });
});
