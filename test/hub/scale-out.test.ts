import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { newId } from '../../shared/domain/ids.js';
import type { EventsBroadcast, PullResponse, PushAck } from '../../shared/sync/protocol.js';
import type { Hub } from '../../server/hub/hub.js';
import { client, declare, makeEvent } from './hub-fixture.js';
import { twoPostgresNodes, type TwoNodes } from './postgres-nodes.js';

/* Two hub nodes over real Postgres and Redis (postgres-nodes.ts): broadcasts, dense seqs and duplicates across nodes. */

let nodes: TwoNodes;
let nodeA: Hub;
let nodeB: Hub;
let alice: string;
let bob: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  nodes = await twoPostgresNodes('conn-hub-test');
  ({ nodeA, nodeB } = nodes);
  alice = (await nodes.storeA.invite('payments', 'Alice', 'admin')).token;
  bob = (await nodes.storeB.invite('payments', 'Bob', 'member')).token;
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await nodes?.dispose();
});

async function on(node: Hub, token: string): Promise<Socket> {
  const s = await client(node.url, token);
  sockets.push(s);
  await s.timeout(5000).emitWithAck('subscribe', {});
  return s;
}

describe('two hub nodes over Postgres and Redis', () => {
  it('delivers a push on node B as a broadcast to a client on node A', async () => {
    expect(nodeA.port).not.toBe(nodeB.port);
    const onA = await on(nodeA, alice);
    const onB = await on(nodeB, bob);
    const e = declare(newId(), 'Bob');
    const got = new Promise<EventsBroadcast>((resolve) =>
      onA.on('events', (b: EventsBroadcast) => {
        if (b.events.some((x) => (x.event as { id: string }).id === e.id)) resolve(b);
      }),
    );
    const ack: PushAck = await onB.timeout(5000).emitWithAck('push', { events: [e] });
    expect((await got).from).toBe(ack.accepted[0]!.seq);
  });

  it('keeps sequences dense when both nodes commit at the same time', async () => {
    const onA = await on(nodeA, alice);
    const onB = await on(nodeB, bob);
    const inc = newId();
    await onA.timeout(5000).emitWithAck('push', { events: [declare(inc, 'Alice')] });
    const pushes: Array<Promise<PushAck>> = [];
    for (let i = 0; i < 40; i++) {
      const [s, who] = i % 2 ? [onA, 'Alice'] : [onB, 'Bob'];
      pushes.push(s.timeout(10_000).emitWithAck('push', { events: [makeEvent(inc, 'note', { text: `n${i}` }, who), makeEvent(inc, 'note', { text: `m${i}` }, who)] }));
    }
    const acks = await Promise.all(pushes);
    const seqs = acks.flatMap((a) => a.accepted.map((x) => x.seq)).sort((a, b) => a - b);
    expect(new Set(seqs).size).toBe(80);
    const page: PullResponse = await onA.timeout(5000).emitWithAck('pull', { after: 0, limit: 500 });
    expect(page.events.map((e) => e.seq)).toEqual(Array.from({ length: page.head }, (_, i) => i + 1));
    expect(page.head).toBe(seqs[seqs.length - 1]);
  });

  it('answers a duplicate pushed to the other node with the original seq', async () => {
    // Alice's cockpit re-pushes through the other node (an ack lost, a reconnect that landed elsewhere).
    const onA = await on(nodeA, alice);
    const onB = await on(nodeB, alice);
    const e = declare(newId(), 'Alice');
    const first: PushAck = await onA.timeout(5000).emitWithAck('push', { events: [e] });
    const again: PushAck = await onB.timeout(5000).emitWithAck('push', { events: [e] });
    expect(again.accepted).toEqual(first.accepted);
  });
});
