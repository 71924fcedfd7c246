import { randomBytes } from 'node:crypto';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'redis';
import type { Socket } from 'socket.io-client';
import { newId } from '../../shared/domain/ids.js';
import type { EventsBroadcast, PushAck } from '../../shared/sync/protocol.js';
import { createHub, type Hub } from '../../server/hub/hub.js';
import { dropPostgresSchema, openPostgresStore } from '../../server/store/postgres.js';
import { client, declare, makeEvent } from './hub-fixture.js';

/*
 * Redis goes away under two hub nodes (a TCP proxy in front of the real Redis is cut, so the
 * machine's Redis, shared with other tests, is never touched). The nodes keep serving and
 * committing; a client on the other node still gets each event, relayed from the store; the
 * nodes say so in /healthz and /metrics; and when Redis is back, broadcasts flow through it again.
 */

const PG = process.env['CONN_TEST_POSTGRES'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_PORT = Number(new URL(process.env['CONN_TEST_REDIS'] ?? 'redis://127.0.0.1:6379').port || 6379);
const run = randomBytes(4).toString('hex');
const schema = `conn_redis_down_${run}`;
const streamName = `conn-redis-down-${run}`;

/** A TCP proxy to Redis that can be cut (every connection dropped, new ones refused) and restored. */
class CuttableProxy {
  private server: net.Server | null = null;
  private readonly open = new Set<net.Socket>();
  port = 0;

  async listen(port = 0): Promise<void> {
    this.server = net.createServer((inbound) => {
      const outbound = net.connect(REDIS_PORT, '127.0.0.1');
      for (const s of [inbound, outbound]) {
        this.open.add(s);
        s.on('close', () => this.open.delete(s));
        s.on('error', () => undefined);
      }
      inbound.pipe(outbound).pipe(inbound);
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async cut(): Promise<void> {
    const s = this.server;
    this.server = null;
    for (const c of this.open) c.destroy();
    await new Promise<void>((resolve) => (s ? s.close(() => resolve()) : resolve()));
  }
}

const proxy = new CuttableProxy();
let nodeA: Hub;
let nodeB: Hub;
let alice: string;
let bob: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  await proxy.listen();
  const redis = { url: `redis://127.0.0.1:${proxy.port}`, streamName };
  const [storeA, storeB] = await Promise.all([openPostgresStore({ url: PG, schema }), openPostgresStore({ url: PG, schema })]);
  nodeA = await createHub({ store: storeA, redis, relayIntervalMs: 200 });
  nodeB = await createHub({ store: storeB, redis, relayIntervalMs: 200 });
  alice = (await storeA.invite('payments', 'Alice', 'admin')).token;
  bob = (await storeB.invite('payments', 'Bob', 'member')).token;
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await nodeA?.close();
  await nodeB?.close();
  await proxy.cut();
  await dropPostgresSchema(PG, schema);
  const r = createClient({ url: `redis://127.0.0.1:${REDIS_PORT}` });
  await r.connect();
  await r.del(streamName);
  await r.quit();
});

async function on(node: Hub, token: string): Promise<Socket> {
  const s = await client(node.url, token);
  sockets.push(s);
  await s.timeout(5000).emitWithAck('subscribe', {});
  return s;
}

/** Resolves with the first broadcast that carries event `id`. */
function heard(s: Socket, id: string): Promise<EventsBroadcast> {
  return new Promise((resolve) =>
    s.on('events', (b: EventsBroadcast) => {
      if (b.events.some((x) => (x.event as { id: string }).id === id)) resolve(b);
    }),
  );
}

async function health(node: Hub): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await fetch(`${node.url}/healthz`);
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

async function until(ok: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('two hub nodes when Redis goes down', () => {
  it('keep committing, relay each other\'s events from the store, and say so', async () => {
    const onA = await on(nodeA, alice);
    const onB = await on(nodeB, bob);
    const inc = newId();
    const first = declare(inc, 'Alice');
    const viaRedis = heard(onB, first.id);
    await onA.timeout(5000).emitWithAck('push', { events: [first] });
    await viaRedis;
    expect((await health(nodeA)).body).toMatchObject({ status: 'ok', redis: 'up' });

    await proxy.cut();
    await until(async () => (await health(nodeA)).body['redis'] === 'down');
    // Still ready: it serves and commits without Redis.
    const h = await health(nodeA);
    expect(h.status).toBe(200);
    expect((await fetch(`${nodeA.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${nodeA.url}/livez`)).status).toBe(200);

    for (let i = 0; i < 3; i++) {
      const e = makeEvent(inc, 'note', { text: `while Redis is down ${i}` }, 'Alice');
      const got = heard(onB, e.id);
      const ack: PushAck = await onA.timeout(5001).emitWithAck('push', { events: [e] });
      expect(ack.accepted).toHaveLength(1);
      const b = await got;
      expect(b.to).toBeGreaterThanOrEqual(ack.accepted[0]!.seq);
    }
    // A subscribe (which tells presence) still answers promptly on the cut-off node.
    const started = Date.now();
    await onB.timeout(5002).emitWithAck('subscribe', { incidentId: inc });
    expect(Date.now() - started).toBeLessThan(2000);
    const metrics = await (await fetch(`${nodeB.url}/metrics`)).text();
    expect(metrics).toMatch(/^conn_hub_redis_up 0$/m);
    expect(metrics).toMatch(/^conn_hub_relayed_events_total [1-9]\d*$/m);

    await proxy.listen(proxy.port);
    await until(async () => (await health(nodeA)).body['redis'] === 'up' && (await health(nodeB)).body['redis'] === 'up', 30_000);
    const after = makeEvent(inc, 'note', { text: 'Redis is back' }, 'Bob');
    const back = heard(onA, after.id);
    await onB.timeout(5000).emitWithAck('push', { events: [after] });
    await back;
    expect(await (await fetch(`${nodeB.url}/metrics`)).text()).toMatch(/^conn_hub_redis_up 1$/m);
  }, 90_000);
});
