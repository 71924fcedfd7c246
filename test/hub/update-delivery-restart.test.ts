import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/domain/ids.js';
import { DELIVERY_HUB_EVENTS, type DeliveriesListResponse } from '../../shared/updates/delivery-protocol.js';
import { buildBin, conn, ok, serveHub, type HubProcess } from '../sync/conn-bin.js';
import { client, declare, makeEvent } from './hub-fixture.js';
import { startReceiver, type Receiver } from './update-receiver.js';

/*
 * A real `conn hub serve` process, killed with SIGKILL after the receiver took an update but
 * before the hub heard back: the queue is in hub.sqlite, so the restarted hub sends the update
 * again with the same Idempotency-Key, and a receiver that dedupes by it shows it once. The
 * channel is configured with the real `conn hub channel` commands.
 */

const dir = mkdtempSync(path.join(tmpdir(), 'conn-delivery-restart-'));
const SECRET = 'restart-test-secret-0123456789abcdef';
let rx: Receiver;
let hub: HubProcess | undefined;

beforeAll(async () => {
  buildBin();
  rx = await startReceiver();
}, 120_000);

afterAll(async () => {
  hub?.child.kill('SIGKILL');
  await rx.close();
  rmSync(dir, { recursive: true, force: true });
});

// Retries within 100 ms and a lease of 1.1 s instead of minutes and 15 s.
const serve = () => serveHub(dir, 0, { CONN_HUB_TEST_DELIVERY_BACKOFF_MS: '100' }, ['--delivery-timeout', '1']);

describe('conn hub channel', () => {
  it('adds, lists (without the secret) and removes a channel; bad config exits 1 and adds nothing', () => {
    const token = JSON.parse(ok(dir, ['--json', 'hub', 'invite', 'Alice', '--team', 'payments', '--role', 'admin'])) as { token: string };
    expect(token.token).toMatch(/^conn_/);
    const bad = conn(dir, ['hub', 'channel', 'add', 'hook', '--team', 'payments', '--kind', 'webhook', '--url', `${rx.url}/hook`, '--secret', 'short']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--secret of at least 16 characters/);
    expect(conn(dir, ['hub', 'channel', 'add', 'sp', '--team', 'payments', '--kind', 'statuspage']).stderr).toMatch(/--page-id/);
    expect(ok(dir, ['hub', 'channel', 'list', '--team', 'payments'])).toMatch(/no delivery channels/);
    ok(dir, ['hub', 'channel', 'add', 'hook', '--team', 'payments', '--kind', 'webhook', '--url', `${rx.url}/hook`, '--secret', SECRET]);
    ok(dir, ['hub', 'channel', 'add', 'slack', '--team', 'payments', '--kind', 'slack', '--url', `${rx.url}/services/T/B/secretpath`]);
    const list = ok(dir, ['hub', 'channel', 'list', '--team', 'payments']);
    expect(list).toContain('hook  webhook');
    expect(list).not.toContain(SECRET);
    expect(list).not.toContain('secretpath');
    expect(conn(dir, ['hub', 'channel', 'add', 'hook', '--team', 'payments', '--kind', 'slack', '--url', rx.url]).stderr).toMatch(/already has a channel "hook"/);
    ok(dir, ['hub', 'channel', 'remove', 'slack', '--team', 'payments']);
    expect(conn(dir, ['hub', 'channel', 'remove', 'slack', '--team', 'payments']).code).toBe(3);
    expect(ok(dir, ['--json', 'hub', 'channel', 'list', '--team', 'payments'])).not.toContain('slack');
  });

  it('redelivers with the same key after the hub is killed mid-delivery, and the receiver shows it once', async () => {
    const token = (JSON.parse(ok(dir, ['--json', 'hub', 'invite', 'Alice', '--team', 'payments', '--role', 'admin'])) as { token: string }).token;
    hub = await serve();
    const killed = hub;
    // The first request is taken (a deduping receiver now has it) and its answer never reaches the hub.
    rx.answer = (_req, n) => {
      if (n === 1) {
        killed.child.kill('SIGKILL');
        return 'hold';
      }
      return { status: 200 };
    };
    const socket = await client(hub.url, token);
    const incidentId = newId();
    const u = makeEvent(incidentId, 'update.posted', { text: 'We have rolled back', audience: 'customers' });
    await socket.timeout(10_000).emitWithAck('push', { events: [declare(incidentId), u] });
    socket.close();
    await rx.waitFor(1);
    expect((await killed.exited).signal).toBe('SIGKILL');

    hub = await serve();
    await rx.waitFor(2, 15_000);
    expect(rx.requests.map((r) => r.headers['idempotency-key'])).toEqual([u.id, u.id]);
    expect(rx.requests[1]!.body).toBe(rx.requests[0]!.body);
    expect([...rx.seen.keys()]).toEqual([u.id]);

    const again = await client(hub.url, token);
    let list: DeliveriesListResponse = { deliveries: [] };
    for (let i = 0; i < 100 && list.deliveries[0]?.state !== 'delivered'; i++) {
      list = (await again.timeout(5000).emitWithAck(DELIVERY_HUB_EVENTS.list, { incidentId })) as DeliveriesListResponse;
      await new Promise((r) => setTimeout(r, 50));
    }
    again.close();
    expect(list.deliveries).toEqual([expect.objectContaining({ updateId: u.id, channel: 'hook', state: 'delivered', attempts: 2, lastStatus: 200 })]);
    // Nothing more arrives: delivered means done.
    await new Promise((r) => setTimeout(r, 500));
    expect(rx.requests).toHaveLength(2);
  }, 60_000);
});
