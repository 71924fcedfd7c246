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

  it('lets anyone take a free role for themselves, but not give it to someone else', async () => {
    const inc = newId();
    await push(bob, [declare(inc, 'Bob')]);
    expect((await push(carol, [makeEvent(inc, 'role.assigned', { role: 'scribe', person: 'Carol' }, 'Carol')])).rejected).toEqual([]);
    const giving = makeEvent(inc, 'role.assigned', { role: 'ops', person: 'Alice' }, 'Carol');
    expect((await push(carol, [giving])).rejected).toEqual([expect.objectContaining({ id: giving.id, code: 'forbidden' })]);
  });
});

describe("an edit's own redaction", () => {
  it('scrubs the words of an edit redacted on its own, and refuses a redaction of an edit it does not have', async () => {
    const inc = newId();
    const note = makeEvent(inc, 'note', { text: 'db is slow' }, 'Alice');
    const edit = makeEvent(inc, 'entry.edited', { target: note.id, text: 'db password hunter2' }, 'Alice');
    const early = makeEvent(inc, 'entry.redacted', { target: newId(), reason: 'credential' }, 'Alice');
    const redaction = makeEvent(inc, 'entry.redacted', { target: edit.id, reason: 'credential' }, 'Alice');
    const ack = await push(alice, [declare(inc, 'Alice'), note, early, edit, redaction]);
    expect(ack.rejected.map((r) => [r.id, r.code])).toEqual([[early.id, 'not-found']]);
    const stored = JSON.stringify((await pullAll(alice)).events.filter((e) => (e.event as { incidentId: string }).incidentId === inc));
    expect(stored).not.toContain('hunter2');
  });
});

/*
 * Regressions for the ways a member could forge, wipe or split the shared record. Each one was
 * possible before the authority rule was applied to every event.
 */
describe('a target belongs to its incident', () => {
  it("refuses a redaction, by the redactor's own incident's commander, of an entry in another incident, and keeps its words", async () => {
    const victim = newId();
    const secretNote = makeEvent(victim, 'note', { text: 'the runbook for vault-7' }, 'Bob');
    await push(bob, [declare(victim, 'Bob'), secretNote]);
    const own = newId(); // Carol declares her own incident, so she is its commander
    const wipe = makeEvent(own, 'entry.redacted', { target: secretNote.id, reason: 'gone' }, 'Carol');
    const ack = await push(carol, [declare(own, 'Carol'), wipe]);
    expect(ack.rejected).toEqual([expect.objectContaining({ id: wipe.id, code: 'not-found' })]);
    expect(JSON.stringify(await pullAll(bob))).toContain('the runbook for vault-7');
  });

  it("refuses a redaction of another team's entry with the words used for an id that exists nowhere", async () => {
    const other = await client(f.hub.url, await f.invite('search', 'Mal', 'admin'));
    open.push(other);
    const note = makeEvent(newId(), 'note', { text: 'payments secret' }, 'Bob');
    await push(bob, [declare(note.incidentId, 'Bob'), note]);
    const own = newId();
    const wipe = makeEvent(own, 'entry.redacted', { target: note.id, reason: 'x' }, 'Mal');
    const ghost = makeEvent(own, 'entry.redacted', { target: newId(), reason: 'x' }, 'Mal');
    const ack = await push(other, [declare(own, 'Mal'), wipe, ghost]);
    expect(ack.rejected.map((r) => r.code)).toEqual(['not-found', 'not-found']);
    expect(ack.rejected[0]!.message.replace(note.id, 'ID')).toBe(ack.rejected[1]!.message.replace((ghost.payload as { target: string }).target, 'ID'));
    expect(JSON.stringify(await pullAll(bob))).toContain('payments secret');
  });
});

describe('declarations', () => {
  it('refuses a back-dated second declaration of an existing incident, so nobody takes command by it', async () => {
    const inc = newId();
    await push(bob, [declare(inc, 'Bob')]);
    const backdated = makeEvent(inc, 'incident.declared', { title: 'mine now', severity: 1 }, 'Carol', 1000);
    const ack = await push(carol, [backdated]);
    expect(ack.rejected).toEqual([expect.objectContaining({ id: backdated.id, code: 'conflict' })]);
    const after = await push(carol, [makeEvent(inc, 'role.assigned', { role: 'deputy', person: 'Alice' }, 'Carol')]);
    expect(after.rejected[0]?.message).toMatch(/commander or a team admin/);
  });

  it('refuses any event for an incident that was never declared', async () => {
    const e = makeEvent(newId(), 'status.changed', { status: 'resolved' }, 'Carol');
    expect((await push(carol, [e])).rejected).toEqual([expect.objectContaining({ id: e.id, code: 'not-found' })]);
  });
});

describe("editing someone else's words", () => {
  it("refuses a member's edit of another member's note", async () => {
    const inc = newId();
    const note = makeEvent(inc, 'note', { text: 'rolled back at 14:02' }, 'Bob');
    await push(bob, [declare(inc, 'Bob'), note]);
    const edit = makeEvent(inc, 'entry.edited', { target: note.id, text: 'never rolled back' }, 'Carol');
    const ack = await push(carol, [edit]);
    expect(ack.rejected).toEqual([expect.objectContaining({ id: edit.id, code: 'forbidden' })]);
    expect(ack.rejected[0]!.message).toMatch(/author \(Bob\)/);
  });

  it("lets the author, the commander and an admin edit an entry, and refuses an edit aimed at a status change", async () => {
    const inc = newId();
    const note = makeEvent(inc, 'note', { text: 'first words' }, 'Carol');
    await push(bob, [declare(inc, 'Bob')]);
    await push(carol, [note]);
    expect((await push(carol, [makeEvent(inc, 'entry.edited', { target: note.id, text: 'by the author' }, 'Carol')])).rejected).toEqual([]);
    expect((await push(bob, [makeEvent(inc, 'entry.edited', { target: note.id, text: 'by the commander' }, 'Bob')])).rejected).toEqual([]);
    expect((await push(alice, [makeEvent(inc, 'entry.edited', { target: note.id, text: 'by an admin' }, 'Alice')])).rejected).toEqual([]);
    const status = makeEvent(inc, 'status.changed', { status: 'identified' }, 'Bob');
    await push(bob, [status]);
    const odd = makeEvent(inc, 'entry.edited', { target: status.id, text: 'x' }, 'Bob');
    expect((await push(bob, [odd])).rejected).toEqual([expect.objectContaining({ code: 'invalid-input' })]);
  });
});

describe('publishing a retrospective', () => {
  it('lets anyone send it for review, refuses a member publishing it, and lets the commander publish and keep it published', async () => {
    const inc = newId();
    await push(bob, [declare(inc, 'Bob')]);
    const review = makeEvent(inc, 'retro.state', { state: 'in-review' }, 'Carol');
    const carolPublish = makeEvent(inc, 'retro.state', { state: 'published' }, 'Carol');
    const ack = await push(carol, [review, carolPublish]);
    expect(ack.accepted.map((a) => a.id)).toEqual([review.id]);
    expect(ack.rejected.map((r) => [r.id, r.code])).toEqual([[carolPublish.id, 'forbidden']]);
    expect(ack.rejected[0]?.message).toContain('only the commander (Bob) or a team admin can publish the retrospective');
    // The hub folds retro.state with the authority kinds: once Bob publishes, Carol cannot take it back.
    const bobPublish = makeEvent(inc, 'retro.state', { state: 'published' }, 'Bob');
    expect((await push(bob, [bobPublish])).rejected).toEqual([]);
    const carolDraft = makeEvent(inc, 'retro.state', { state: 'draft' }, 'Carol');
    expect((await push(carol, [carolDraft])).rejected.map((r) => r.code)).toEqual(['forbidden']);
  });
});
