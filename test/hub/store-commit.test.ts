import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/domain/ids.js';
import { dropPostgresSchema, openPostgresStore } from '../../server/store/postgres.js';
import { openSqliteStore } from '../../server/store/sqlite.js';
import type { HubStore, Member } from '../../server/store/store.js';
import { declare, makeEvent } from './hub-fixture.js';

/*
 * The commit rules are one function over two stores; the Postgres store reads a batch's lookups
 * in one go and writes its inserts in one statement. The same cases, on both, must give the same
 * seqs, refusals, stored bodies and scrubs.
 */

const PG = process.env['CONN_TEST_POSTGRES'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `conn_store_commit_${randomBytes(4).toString('hex')}`;
const dirs: string[] = [];
const stores: HubStore[] = [];

afterAll(async () => {
  for (const s of stores) await s.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  await dropPostgresSchema(PG, schema);
});

const KINDS: Array<[string, () => Promise<HubStore>]> = [
  [
    'SQLite',
    async () => {
      const d = mkdtempSync(path.join(tmpdir(), 'conn-store-commit-'));
      dirs.push(d);
      return openSqliteStore(d);
    },
  ],
  ['Postgres', () => openPostgresStore({ url: PG, schema })],
];

async function setUp(open: () => Promise<HubStore>, team: string): Promise<{ store: HubStore; alice: Member; bob: Member }> {
  const store = await open();
  stores.push(store);
  const a = await store.invite(team, 'Alice', 'admin');
  const b = await store.invite(team, 'Bob', 'member');
  return { store, alice: (await store.authenticate(a.token))!, bob: (await store.authenticate(b.token))! };
}

const textOf = (body: unknown) => (body as { payload: { text?: string } }).payload.text;

describe.each(KINDS)('commits on %s', (_kind, open) => {
  it('cuts a pull page at the bytes asked for, after whole events, and always gives the first', async () => {
    const { store, alice } = await setUp(open, `t-${randomBytes(4).toString('hex')}`);
    const inc = newId();
    const events = [declare(inc, 'Alice'), ...Array.from({ length: 5 }, (_, i) => makeEvent(inc, 'note', { text: `note ${i} ${'x'.repeat(1000)}` }, 'Alice'))];
    await store.commit(alice, events);
    const seqs = async (after: number, limit: number, maxBytes?: number) => (await store.pull(alice.teamId, after, limit, maxBytes === undefined ? {} : { maxBytes })).events.map((e) => e.seq);
    expect(await seqs(0, 10)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await seqs(0, 4)).toEqual([1, 2, 3, 4]);
    // Each note is over 1 KB: 2.5 KB after the first note holds two of them.
    expect(await seqs(1, 10, 2500)).toEqual([2, 3]);
    // One byte is less than any event: the page still moves the cursor by one.
    expect(await seqs(1, 10, 1)).toEqual([2]);
    expect((await store.pull(alice.teamId, 1, 10, { maxBytes: 1 })).head).toBe(6);
    // As JSON text, the same events as stored.
    const asText = (await store.pull(alice.teamId, 0, 2, { json: true })).events.map((e) => JSON.parse(e.event as string) as { id: string });
    expect(asText.map((e) => e.id)).toEqual(events.slice(0, 2).map((e) => e.id));
  });

  it('numbers a batch densely, answers repeats with their seq, refuses what the rule refuses, and stores the rest', async () => {
    const { store, alice, bob } = await setUp(open, `t-${randomBytes(4).toString('hex')}`);
    const inc = newId();
    const d = declare(inc, 'Alice');
    const n1 = makeEvent(inc, 'note', { text: 'one' }, 'Alice');
    const n2 = makeEvent(inc, 'note', { text: 'two' }, 'Alice');
    const first = await store.commit(alice, [d, n1, n1, n2]);
    expect(first.accepted.map((a) => a.seq)).toEqual([1, 2, 2, 3]);
    expect(first.committed.map((c) => c.seq)).toEqual([1, 2, 3]);
    expect(first.head).toBe(3);
    // A retry of the whole push, plus Bob (a member) taking command from Alice: refused.
    const grab = makeEvent(inc, 'role.assigned', { role: 'commander', person: 'Bob' }, 'Bob');
    const again = await store.commit(bob, [makeEvent(inc, 'note', { text: 'three' }, 'Bob'), grab]);
    expect(again.accepted.map((a) => a.seq)).toEqual([4]);
    expect(again.rejected).toEqual([expect.objectContaining({ id: grab.id, code: 'forbidden' })]);
    const retry = await store.commit(alice, [d, n1, n2]);
    expect(retry.accepted.map((a) => a.seq)).toEqual([1, 2, 3]);
    expect(retry.committed).toEqual([]);
    const page = await store.pull(alice.teamId, 0, 100);
    expect(page.events.map((e) => textOf(e.event))).toEqual([undefined, 'one', 'two', 'three']);
    expect(page.head).toBe(4);
    // Paging: a page of 2 from seq 1, and an empty page past the head, both with the head.
    expect(await store.pull(alice.teamId, 1, 2)).toMatchObject({ head: 4, events: [{ seq: 2 }, { seq: 3 }] });
    expect(await store.pull(alice.teamId, 4, 100)).toEqual({ head: 4, events: [] });
  });

  it('judges each incident of one push by its own authority events', async () => {
    const { store, alice, bob } = await setUp(open, `t-${randomBytes(4).toString('hex')}`);
    const [mine, bobs] = [newId(), newId()];
    await store.commit(alice, [declare(mine, 'Alice')]);
    await store.commit(bob, [declare(bobs, 'Bob')]);
    // In one push Bob hands command of his incident to Alice (his to give) and tries to take hers.
    const give = makeEvent(bobs, 'role.assigned', { role: 'commander', person: 'Alice' }, 'Bob');
    const grab = makeEvent(mine, 'role.assigned', { role: 'commander', person: 'Bob' }, 'Bob');
    const r = await store.commit(bob, [grab, give]);
    expect(r.accepted).toEqual([{ id: give.id, seq: 3 }]);
    expect(r.rejected).toEqual([expect.objectContaining({ id: grab.id, code: 'forbidden' })]);
    expect(r.head).toBe(3);
    expect((await store.pull(alice.teamId, 0, 100)).events.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('scrubs an entry and its earlier edits when a redaction commits, in the same batch or later, and stores later words already scrubbed', async () => {
    const { store, alice } = await setUp(open, `t-${randomBytes(4).toString('hex')}`);
    const inc = newId();
    const note = makeEvent(inc, 'note', { text: 'card 4111 in the log' }, 'Alice');
    const edit = makeEvent(inc, 'entry.edited', { target: note.id, text: 'card 4111 (edited)' }, 'Alice');
    const redact = makeEvent(inc, 'entry.redacted', { target: note.id, reason: 'card number' }, 'Alice');
    const lateEdit = makeEvent(inc, 'entry.edited', { target: note.id, text: 'card 4111 again' }, 'Alice');
    const r = await store.commit(alice, [declare(inc, 'Alice'), note, edit, redact, lateEdit]);
    expect(r.rejected).toEqual([]);
    // A redaction that arrives before the entry it names (pushed by someone else's cockpit).
    const ghost = newId();
    const early = makeEvent(inc, 'entry.redacted', { target: ghost, reason: 'secret' }, 'Alice');
    const r2 = await store.commit(alice, [early]);
    expect(r2.rejected.map((x) => x.code)).not.toContain('internal');
    const page = await store.pull(alice.teamId, 0, 100);
    const stored = JSON.stringify(page.events);
    expect(stored).not.toContain('4111');
    expect(page.events.map((e) => e.seq)).toEqual(Array.from({ length: page.head }, (_, i) => i + 1));
  });
});
