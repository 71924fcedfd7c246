import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { newId } from '../../shared/domain/ids.js';
import type { PullResponse, PushAck } from '../../shared/sync/protocol.js';
import { client, declare, makeEvent, startHub, type HubFixture } from './hub-fixture.js';

/*
 * Who may do what to an incident, as the hub decides it. Each member pushes only events they
 * wrote; what is tested is which of those the hub lets through.
 */

let f: HubFixture;
const open: Socket[] = [];
let alice: Socket; // admin
let bob: Socket; // member
let carol: Socket; // member

const push = (s: Socket, events: unknown[]): Promise<PushAck> => s.timeout(10_000).emitWithAck('push', { events });
const pullAll = async (s: Socket): Promise<PullResponse> => s.timeout(5000).emitWithAck('pull', { after: 0, limit: 500 });

beforeAll(async () => {
  f = await startHub();
  const connect = async (name: string, role: 'admin' | 'member') => {
    const s = await client(f.hub.url, await f.invite('payments', name, role));
    open.push(s);
    return s;
  };
  alice = await connect('Alice', 'admin');
  bob = await connect('Bob', 'member');
  carol = await connect('Carol', 'member');
});

afterAll(async () => {
  for (const s of open) s.close();
  await f.dispose();
});

describe('the commander role and redaction rights', () => {
  it('refuses a member naming themselves commander of an incident someone else commands, and so their redaction', async () => {
    const inc = newId();
    const note = makeEvent(inc, 'note', { text: 'customer card 4111 1111' }, 'Bob');
    expect((await push(bob, [declare(inc, 'Bob'), note])).rejected).toEqual([]);
    const grab = makeEvent(inc, 'role.assigned', { role: 'commander', person: 'Carol' }, 'Carol');
    const redaction = makeEvent(inc, 'entry.redacted', { target: note.id, reason: 'mine now' }, 'Carol');
    const ack = await push(carol, [grab, redaction]);
    expect(ack.rejected.map((r) => [r.id, r.code])).toEqual([
      [grab.id, 'forbidden'],
      [redaction.id, 'forbidden'],
    ]);
    expect(ack.rejected[0]?.message).toMatch(/only the incident's commander \(Bob\) or a team admin/);
    expect(JSON.stringify(await pullAll(bob))).toContain('4111 1111');
  });

  it('lets the commander hand the role over, after which the new commander may redact', async () => {
    const inc = newId();
    const note = makeEvent(inc, 'note', { text: 'token abc123 pasted by mistake' }, 'Bob');
    await push(bob, [declare(inc, 'Bob'), note]);
    expect((await push(bob, [makeEvent(inc, 'role.assigned', { role: 'commander', person: 'Carol' }, 'Bob')])).rejected).toEqual([]);
    const redaction = makeEvent(inc, 'entry.redacted', { target: note.id, reason: 'credential' }, 'Carol');
    expect((await push(carol, [redaction])).accepted.map((a) => a.id)).toEqual([redaction.id]);
    expect(JSON.stringify(await pullAll(carol))).not.toContain('abc123');
  });

  it('lets a team admin assign the commander role on any incident of the team', async () => {
    const inc = newId();
    await push(bob, [declare(inc, 'Bob')]);
    const ack = await push(alice, [makeEvent(inc, 'role.assigned', { role: 'commander', person: 'Carol' }, 'Alice')]);
    expect(ack.rejected).toEqual([]);
  });

  it('leaves other roles to anyone on the team', async () => {
    const inc = newId();
    await push(bob, [declare(inc, 'Bob')]);
    expect((await push(carol, [makeEvent(inc, 'role.assigned', { role: 'scribe', person: 'Carol' }, 'Carol')])).rejected).toEqual([]);
  });
});

describe("an edit's own redaction", () => {
  it('keeps the words of an edit out of the store when its redaction arrived before it', async () => {
    const inc = newId();
    const note = makeEvent(inc, 'note', { text: 'db is slow' }, 'Alice');
    const edit = makeEvent(inc, 'entry.edited', { target: note.id, text: 'db password hunter2' }, 'Alice');
    const redaction = makeEvent(inc, 'entry.redacted', { target: edit.id, reason: 'credential' }, 'Alice');
    await push(alice, [declare(inc, 'Alice'), note, redaction]);
    expect((await push(alice, [edit])).accepted.map((a) => a.id)).toEqual([edit.id]);
    const stored = JSON.stringify((await pullAll(alice)).events.filter((e) => (e.event as { incidentId: string }).incidentId === inc));
    expect(stored).not.toContain('hunter2');
  });
});
