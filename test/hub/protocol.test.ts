import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { newId } from '../../shared/domain/ids.js';
import { refFromId } from '../../shared/domain/incident-ref.js';
import { HUB_LIMITS, type PullResponse, type PushAck, type SubscribeAck, type HubFailure, type EventsBroadcast, type PresenceBroadcast } from '../../shared/sync/protocol.js';
import { client, declare, makeEvent, startHub, type HubFixture } from './hub-fixture.js';

/* The hub at the protocol level: auth, authorisation, validation, sequencing, fairness. */

let f: HubFixture;
let admin: string;
let member: string;
let viewer: string;
let other: string;
const open: Socket[] = [];

async function connectAs(token: string): Promise<Socket> {
  const s = await client(f.hub.url, token);
  open.push(s);
  return s;
}

function push(s: Socket, events: unknown[]): Promise<PushAck & Partial<HubFailure>> {
  return s.timeout(10_000).emitWithAck('push', { events });
}

beforeAll(async () => {
  f = await startHub({ revocationCheckMs: 100 });
  admin = await f.invite('payments', 'Alice', 'admin');
  member = await f.invite('payments', 'Bob', 'member');
  viewer = await f.invite('payments', 'Vera', 'viewer');
  other = await f.invite('search', 'Mallory', 'admin');
});

afterAll(async () => {
  for (const s of open) s.close();
  await f.dispose();
});

describe('connecting', () => {
  it('refuses a connection without a token, saying how to get one', async () => {
    const err = (await client(f.hub.url).catch((e: unknown) => e)) as Error & { data?: { code: string } };
    expect(err.data?.code).toBe('unauthenticated');
    expect(err.message).toMatch(/conn connect/);
  });

  it('refuses a wrong token', async () => {
    const forged = `${member.slice(0, -6)}AAAAAA`;
    const err = (await client(f.hub.url, forged).catch((e: unknown) => e)) as Error & { data?: { code: string } };
    expect(err.data?.code).toBe('unauthenticated');
    expect(err.message).toMatch(/does not recognise this token/);
  });

  it('refuses a revoked token, and cuts a revoked member already connected', async () => {
    const token = await f.invite('payments', 'Rita');
    const s = await connectAs(token);
    const cut = new Promise<string>((resolve) => s.once('disconnect', (reason) => resolve(reason)));
    expect(await f.store.revoke('payments', 'Rita')).toBe(true);
    expect(await cut).toBe('io server disconnect');
    const err = (await client(f.hub.url, token).catch((e: unknown) => e)) as Error & { data?: { code: string } };
    expect(err.data?.code).toBe('unauthenticated');
    expect(err.message).toMatch(/revoked/);
  });
});

describe('pushing', () => {
  it('assigns dense sequence numbers and answers a re-push with the same seqs', async () => {
    const s = await connectAs(member);
    const inc = newId();
    const events = [declare(inc, 'Bob'), makeEvent(inc, 'note', { text: 'one' }, 'Bob'), makeEvent(inc, 'note', { text: 'two' }, 'Bob')];
    const first = await push(s, events);
    const seqs = first.accepted.map((a) => a.seq);
    expect(seqs[1]! - seqs[0]!).toBe(1);
    expect(seqs[2]! - seqs[1]!).toBe(1);
    const again = await push(s, [events[2], events[0]]);
    expect(again.accepted).toEqual([
      { id: events[2]!.id, seq: seqs[2] },
      { id: events[0]!.id, seq: seqs[0] },
    ]);
    expect(again.head).toBe(first.head);
  });

  it('rejects a malformed event alone and commits the valid ones beside it', async () => {
    const s = await connectAs(member);
    const inc = newId();
    const good = declare(inc, 'Bob');
    const bad = { ...makeEvent(inc, 'note', { text: 'x' }, 'Bob'), payload: { text: 42 } };
    const ack = await push(s, [bad, good]);
    expect(ack.rejected).toEqual([expect.objectContaining({ id: bad.id, code: 'invalid-input' })]);
    expect(ack.accepted.map((a) => a.id)).toEqual([good.id]);
  });

  it('rejects an event over the 256 KiB limit as too-large', async () => {
    const s = await connectAs(member);
    const big = makeEvent(newId(), 'note', { text: 'x'.repeat(300 * 1024) }, 'Bob');
    const ack = await push(s, [big]);
    expect(ack.rejected).toEqual([expect.objectContaining({ id: big.id, code: 'too-large' })]);
    expect(ack.rejected[0]!.message).toMatch(/256 KiB/);
  });

  it('rejects an event stamped ten minutes ahead of the hub clock as clock-drift', async () => {
    const s = await connectAs(member);
    const ahead = makeEvent(newId(), 'incident.declared', { title: 'From the future', severity: 2 }, 'Bob', Date.now() + 10 * 60_000);
    const ack = await push(s, [ahead]);
    expect(ack.rejected).toEqual([expect.objectContaining({ id: ahead.id, code: 'clock-drift' })]);
  });

  it("answers a write to another team's incident exactly as one to an incident that never existed", async () => {
    const mine = await connectAs(member);
    const theirs = await connectAs(other);
    const inc = newId();
    await push(mine, [declare(inc, 'Bob')]);
    const sneaky = makeEvent(inc, 'note', { text: 'I was here' }, 'Mallory');
    const nowhere = newId();
    const probe = makeEvent(nowhere, 'note', { text: 'I was here' }, 'Mallory');
    const [a, b] = [await push(theirs, [sneaky]), await push(theirs, [probe])];
    expect(a.rejected).toEqual([expect.objectContaining({ id: sneaky.id, code: 'not-found' })]);
    expect(a.rejected[0]!.message.replace(refFromId(inc), 'REF')).toBe(b.rejected[0]!.message.replace(refFromId(nowhere), 'REF'));
    // Subscribing to it joins only the other team's own (empty) room for that id: nothing leaks.
    const sub: SubscribeAck = await theirs.timeout(5000).emitWithAck('subscribe', { incidentId: inc });
    expect(sub.team).toBe('search');
  });

  it('does not let a viewer write', async () => {
    const s = await connectAs(viewer);
    const e = declare(newId(), 'Vera');
    const ack = await push(s, [e]);
    expect(ack.rejected).toEqual([expect.objectContaining({ id: e.id, code: 'forbidden' })]);
    expect(ack.accepted).toEqual([]);
  });

  it('rejects an event signed with another name as forbidden, alone, and accepts the rest of the push', async () => {
    const carol = await connectAs(await f.invite('payments', 'Carol'));
    const inc = newId();
    const mine = declare(inc, 'Carol');
    const forged = makeEvent(inc, 'note', { text: 'roll back now' }, 'Alice');
    const alsoMine = makeEvent(inc, 'note', { text: 'looking at the deploy' }, 'Carol');
    const ack = await push(carol, [mine, forged, alsoMine]);
    expect(ack.rejected).toEqual([{ id: forged.id, code: 'forbidden', message: expect.stringContaining('signed "Alice" but the hub knows you as "Carol"') }]);
    expect(ack.rejected[0]!.message).toContain('conn profile --name "Carol');
    expect(ack.accepted.map((a) => a.id)).toEqual([mine.id, alsoMine.id]);
    const page: PullResponse = await carol.timeout(5000).emitWithAck('pull', { after: 0, limit: 500 });
    expect(page.events.map((e) => (e.event as { id: string }).id)).not.toContain(forged.id);
  });

  it("accepts the member's own name in other letter case and with spaces around it", async () => {
    const s = await connectAs(member);
    const inc = newId();
    const events = [declare(inc, 'bob'), makeEvent(inc, 'note', { text: 'shouting' }, 'BOB'), makeEvent(inc, 'note', { text: 'padded' }, '  Bob ')];
    const ack = await push(s, events);
    expect(ack.rejected).toEqual([]);
    expect(ack.accepted.map((a) => a.id)).toEqual(events.map((e) => e.id));
  });

  it("lets the incident's commander redact and refuses another member", async () => {
    const alice = await connectAs(admin);
    const bob = await connectAs(member);
    const carol = await connectAs(await f.invite('payments', 'Carol'));
    const inc = newId();
    const note = makeEvent(inc, 'note', { text: 'password is hunter2' }, 'Alice');
    const setup = await push(alice, [declare(inc, 'Alice'), makeEvent(inc, 'role.assigned', { role: 'commander', person: 'Bob' }, 'Alice'), note]);
    expect(setup.rejected).toEqual([]);
    const byCarol = makeEvent(inc, 'entry.redacted', { target: note.id, reason: 'secret' }, 'Carol');
    expect((await push(carol, [byCarol])).rejected[0]?.code).toBe('forbidden');
    const byBob = makeEvent(inc, 'entry.redacted', { target: note.id, reason: 'secret' }, 'Bob');
    expect((await push(bob, [byBob])).accepted.map((a) => a.id)).toEqual([byBob.id]);
  });

  it("removes a redacted entry's words from the hub's store, including ones that arrive later", async () => {
    const ann = await connectAs(admin);
    const inc = newId();
    const secret = makeEvent(inc, 'note', { text: 'db password is hunter2' }, 'Alice');
    const edit = makeEvent(inc, 'entry.edited', { target: secret.id, text: 'password hunter2, really' }, 'Alice');
    const redaction = makeEvent(inc, 'entry.redacted', { target: secret.id, reason: 'credential' }, 'Alice');
    await push(ann, [declare(inc, 'Alice'), secret, redaction]);
    await push(ann, [edit]); // a late edit of the redacted entry
    const page: PullResponse = await ann.timeout(5000).emitWithAck('pull', { after: 0, limit: 500 });
    const stored = JSON.stringify(page.events.filter((e) => (e.event as { incidentId: string }).incidentId === inc));
    expect(stored).not.toMatch(/hunter2/);
    expect(stored).toMatch(/\[redacted\]/);
  });

  it('rejects a request that is not a push at all', async () => {
    const s = await connectAs(member);
    const ack: HubFailure = await s.timeout(5000).emitWithAck('push', { events: 'nope' });
    expect(ack.error.code).toBe('invalid-input');
  });

  it('keeps answering another client promptly while one floods it with 10k pushes', async () => {
    const flooder = await connectAs(member);
    const calm = await connectAs(admin);
    const inc = newId();
    await push(flooder, [declare(inc, 'Bob')]);
    let committedSoFar = 0;
    const acks: Array<Promise<PushAck & Partial<HubFailure>>> = [];
    for (let i = 0; i < 10_000; i++) {
      const ack = flooder.timeout(120_000).emitWithAck('push', { events: [makeEvent(inc, 'note', { text: `flood ${i}` }, 'Bob')] }) as Promise<PushAck & Partial<HubFailure>>;
      acks.push(ack.then((a) => ((committedSoFar += a.accepted?.length ?? 0), a)));
    }
    await new Promise((r) => setTimeout(r, 50));
    const mine = await calm.timeout(120_000).emitWithAck('push', { events: [makeEvent(inc, 'note', { text: 'the calm one' }, 'Alice')] }) as PushAck;
    const floodDoneWhenCalmAcked = committedSoFar;
    expect(mine.accepted).toHaveLength(1);
    const results = await Promise.all(acks);
    // Beyond the per-connection queue the hub says 'unavailable' at once instead of buffering,
    // and beyond the member's push budget (push-limits.test.ts) 'rate-limited'.
    const accepted = results.filter((r) => r.accepted?.length === 1).length;
    const refused = results.filter((r) => r.error?.code === 'unavailable' || r.error?.code === 'rate-limited').length;
    expect(accepted + refused).toBe(10_000);
    expect(accepted).toBeGreaterThan(100);
    // Fairness, independent of machine speed: the calm push did not wait behind the flood.
    expect(floodDoneWhenCalmAcked).toBeLessThan(accepted / 2);
  }, 180_000);
});

describe('pulling and broadcasts', () => {
  it('pages through the team log from a cursor, never showing another team', async () => {
    const s = await connectAs(other);
    const inc = newId();
    const events = [declare(inc, 'Mallory'), ...Array.from({ length: 4 }, (_, i) => makeEvent(inc, 'note', { text: `n${i}` }, 'Mallory'))];
    await push(s, events);
    const page1: PullResponse = await s.timeout(5000).emitWithAck('pull', { after: 0, limit: 3 });
    expect(page1.events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(page1.more).toBe(true);
    const page2: PullResponse = await s.timeout(5000).emitWithAck('pull', { after: 3, limit: 3 });
    expect(page2.events.map((e) => e.seq)).toEqual([4, 5]);
    expect(page2.more).toBe(false);
    expect([...page1.events, ...page2.events].map((e) => (e.event as { id: string }).id)).toEqual(events.map((e) => e.id));
  });

  it('says in the subscribe ack how large a pull page it serves, serves exactly that, and as JSON text when asked', async () => {
    const s = await connectAs(other);
    const ack: SubscribeAck = await s.timeout(5000).emitWithAck('subscribe', {});
    expect(ack.pullEvents).toBe(HUB_LIMITS.pullEventsMax);
    const declared = declare(newId(), 'Mallory');
    await push(s, [declared]);
    const page: PullResponse = await s.timeout(5000).emitWithAck('pull', { after: 0, limit: HUB_LIMITS.pullEventsMax });
    expect(page.events.length).toBeGreaterThan(0);
    // Asked for JSON text, the same page carries each event as the hub stored it.
    const text: PullResponse = await s.timeout(5000).emitWithAck('pull', { after: 0, limit: HUB_LIMITS.pullEventsMax, bodies: 'json' });
    expect(text.events.map((e) => JSON.parse(e.event as string) as unknown)).toEqual(page.events.map((e) => e.event));
    expect(text.events.some((e) => (JSON.parse(e.event as string) as { id: string }).id === declared.id)).toBe(true);
    const refused: HubFailure = await s.timeout(5000).emitWithAck('pull', { after: 0, limit: HUB_LIMITS.pullEventsMax + 1 });
    expect(refused.error.code).toBe('invalid-input');
  });

  it('broadcasts committed events to the team\'s subscribers, with their seqs', async () => {
    const writer = await connectAs(admin);
    const reader = await connectAs(member);
    const sub: SubscribeAck = await reader.timeout(5000).emitWithAck('subscribe', {});
    const e = declare(newId(), 'Alice');
    const got = new Promise<EventsBroadcast>((resolve) =>
      reader.on('events', (b: EventsBroadcast) => {
        if (b.events.some((x) => (x.event as { id: string }).id === e.id)) resolve(b);
      }),
    );
    const ack = await push(writer, [e]);
    const b = await got;
    expect(b.from).toBe(ack.accepted[0]!.seq);
    expect(b.events[0]!.event).toMatchObject({ id: e.id });
    expect(b.from).toBeGreaterThan(sub.head);
  });

  it('sends events only to sockets that subscribed: a connection that only pushes or pulls is not sent the team\'s stream', async () => {
    const writer = await connectAs(admin);
    const subscriber = await connectAs(member);
    const bystander = await connectAs(viewer);
    await subscriber.timeout(5000).emitWithAck('subscribe', {});
    const heard: string[] = [];
    bystander.on('events', () => heard.push('bystander'));
    const e = declare(newId(), 'Alice');
    const got = new Promise<void>((resolve) =>
      subscriber.on('events', (b: EventsBroadcast) => {
        if (b.events.some((x) => (x.event as { id: string }).id === e.id)) resolve();
      }),
    );
    writer.on('events', () => heard.push('writer'));
    await push(writer, [e]);
    await got;
    // The subscriber's copy has arrived; one more round trip on each socket lets any stray copy land too.
    await Promise.all([writer, bystander].map((s) => s.timeout(5000).emitWithAck('pull', { after: 0, limit: 1 })));
    expect(heard).toEqual([]);
    // Subscribing later starts the stream for that socket.
    await bystander.timeout(5000).emitWithAck('subscribe', {});
    const second = declare(newId(), 'Alice');
    const arrived = new Promise<void>((resolve) => bystander.on('events', () => resolve()));
    await push(writer, [second]);
    await arrived;
  });

  it('tells the team who is connected to an incident', async () => {
    const a = await connectAs(admin);
    const b = await connectAs(member);
    const inc = newId();
    await push(a, [declare(inc, 'Alice')]);
    await a.timeout(5000).emitWithAck('subscribe', {});
    const seen = new Promise<PresenceBroadcast>((resolve) => {
      a.on('presence', (p: PresenceBroadcast) => {
        if (p.incidentId === inc && p.members.length === 2) resolve(p);
      });
    });
    await a.timeout(5000).emitWithAck('subscribe', { incidentId: inc });
    await b.timeout(5000).emitWithAck('subscribe', { incidentId: inc });
    expect((await seen).members.map((m) => m.name)).toEqual(['Alice', 'Bob']);
    const left = new Promise<PresenceBroadcast>((resolve) => {
      a.on('presence', (p: PresenceBroadcast) => {
        if (p.incidentId === inc && p.members.length === 1) resolve(p);
      });
    });
    b.close();
    expect((await left).members.map((m) => m.name)).toEqual(['Alice']);
  });
});

describe('operations', () => {
  it('serves health and Prometheus metrics over http', async () => {
    const health = await fetch(`${f.hub.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', store: 'sqlite' });
    const metrics = await (await fetch(`${f.hub.url}/metrics`)).text();
    expect(metrics).toMatch(/^conn_hub_connections \d+$/m);
    expect(metrics).toMatch(/^conn_hub_events_committed_total [1-9]\d*$/m);
    expect(metrics).toMatch(/^conn_hub_store_latency_ms_count [1-9]\d*$/m);
  });
});
