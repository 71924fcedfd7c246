import Database from 'better-sqlite3';
import { readFileSync, existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { CoreNotification } from '../../../shared/api/contract.js';
import { ConnError } from '../../../shared/domain/errors.js';
import { foldIncident } from '../../../shared/domain/fold.js';
import { newId } from '../../../shared/domain/ids.js';
import { formatHlc } from '../../../shared/sync/hlc.js';
import { openCore } from '../open.js';
import { readOutbox } from '../sync/outbox.js';
import { tempCore } from '../../../test/core/temp-core.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});
function setup(opts: Parameters<typeof tempCore>[0] = {}) {
  const t = tempCore(opts);
  cleanups.push(t.cleanup);
  return t;
}
function eventCount(core: ReturnType<typeof setup>['core']): number {
  return (core.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
}

describe('EventStore.appendLocal', () => {
  it('refuses a payload that does not match its kind with one line, writing nothing', () => {
    const { core } = setup();
    const { id } = core.incidents.declare({ title: 'API down', severity: 2 });
    const before = eventCount(core);
    expect(() => core.events.appendLocal(id, 'note', { text: '   ' })).toThrow(new ConnError('invalid-input', 'text is empty'));
    expect(() => core.events.appendLocal(id, 'status.changed', { status: 'panicking' })).toThrow(/status must be one of/);
    expect(eventCount(core)).toBe(before);
  });

  it('refuses events for an incident that was never declared', () => {
    const { core } = setup();
    expect(() => core.events.appendLocal(newId(), 'note', { text: 'hi' })).toThrow(expect.objectContaining({ code: 'not-found' }));
  });

  it('writes each local event to the outbox in the same transaction', () => {
    const { core } = setup();
    const { id } = core.incidents.declare({ title: 'API down', severity: 2 });
    const note = core.events.appendLocal(id, 'note', { text: 'looking' });
    const outbox = core.db.prepare('SELECT event_id FROM outbox ORDER BY seq').all() as Array<{ event_id: string }>;
    expect(outbox.map((r) => r.event_id).at(-1)).toBe(note.id);
    expect(core.events.pendingCount()).toBe(2);
  });

  it('lists the heads it supersedes for each field it writes', () => {
    const { core } = setup();
    const { id } = core.incidents.declare({ title: 'API down', severity: 2 });
    const first = core.events.appendLocal(id, 'status.changed', { status: 'investigating' });
    const second = core.events.appendLocal(id, 'status.changed', { status: 'identified' });
    expect(second.supersedes).toEqual([first.id]);
    expect(core.incidents.get(id).conflicts).toEqual([]);
  });

  it('never stamps a clock earlier than one it stamped before a restart, even if the wall clock went back', async () => {
    const { core, dataDir } = setup({ now: () => Date.UTC(2026, 10, 28, 12) });
    const { id } = core.incidents.declare({ title: 'API down', severity: 2 });
    const late = core.events.appendLocal(id, 'note', { text: 'before restart' });
    await core.close();
    const again = openCore({ dataDir, now: () => Date.UTC(2026, 10, 28, 11) });
    cleanups.unshift(() => again.close());
    const next = again.events.appendLocal(id, 'note', { text: 'after restart' });
    expect(next.hlc > late.hlc).toBe(true);
  });

  it('announces incident and list changes only after the commit', () => {
    const { core } = setup();
    const seen: CoreNotification[] = [];
    core.bus.on((n) => {
      seen.push(n);
      // The event is visible to a reader when the listener runs.
      expect((core.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n).toBeGreaterThan(0);
    });
    const { id } = core.incidents.declare({ title: 'API down', severity: 2 });
    expect(seen).toEqual([{ type: 'incident-changed', incidentId: id }, { type: 'incidents-changed' }, { type: 'sync-changed' }]);
  });

  it("holds notifications back while a caller's transaction is still open", async () => {
    const { core } = setup();
    const { id } = core.incidents.declare({ title: 'API down', severity: 2 });
    // Acknowledged already, so the note below changes the timeline only, not the list.
    core.events.appendLocal(id, 'status.changed', { status: 'investigating' });
    const seen: CoreNotification[] = [];
    core.bus.on((n) => seen.push(n));
    const remote = { id: newId(), incidentId: id, hlc: formatHlc({ wall: Date.now(), counter: 1 }), author: { id: 'p-bo', name: 'bo' }, kind: 'note' as const, payload: { text: 'hi' } };
    core.db.transaction(() => {
      core.events.ingest([remote]);
      expect(seen).toEqual([]);
    })();
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual([{ type: 'incident-changed', incidentId: id }]);
  });
});

describe('redaction', () => {
  it('lets the entry author redact, and removes the words from the events, the projections and the database file', () => {
    const { core } = setup();
    const { id } = core.incidents.declare({ title: 'API down', severity: 2 });
    const secret = 'password=hunter2-' + 'x'.repeat(5000);
    const note = core.events.appendLocal(id, 'note', { text: secret });
    core.events.appendLocal(id, 'entry.edited', { target: note.id, text: `${secret} edited` });
    core.events.appendLocal(id, 'entry.redacted', { target: note.id, reason: 'credential pasted' });
    // An edit written after the redaction stays scrubbed.
    core.events.appendLocal(id, 'entry.edited', { target: note.id, text: `${secret} again` });
    const row = core.timeline({ incidentId: id, limit: 10 }).items.find((i) => i.id === note.id)!;
    expect(row).toMatchObject({ text: '', redacted: true, redactedReason: 'credential pasted', edited: false });
    for (const e of core.events.eventsOf(id)) expect(JSON.stringify(e.payload)).not.toContain('hunter2');
    core.db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = Buffer.concat([readFileSync(core.dbFile), existsSync(`${core.dbFile}-wal`) ? readFileSync(`${core.dbFile}-wal`) : Buffer.alloc(0)]);
    expect(bytes.includes('hunter2')).toBe(false);
  });

  it('removes the words of a redacted edit from the entry it changed, the projections and the database file', () => {
    const { core } = setup();
    const { id } = core.incidents.declare({ title: 'API down', severity: 2 });
    const note = core.events.appendLocal(id, 'note', { text: 'rotating the key now' });
    const edit = core.events.appendLocal(id, 'entry.edited', { target: note.id, text: 'rotating key hunter2-in-edit' });
    const action = core.events.appendLocal(id, 'action.added', { text: 'rotate the key' });
    const update = core.events.appendLocal(id, 'action.updated', { target: action.id, text: 'rotate hunter2-in-action' });
    core.events.appendLocal(id, 'entry.redacted', { target: edit.id, reason: 'credential pasted' });
    core.events.appendLocal(id, 'entry.redacted', { target: update.id, reason: 'credential pasted' });
    const rows = core.timeline({ incidentId: id, limit: 10 }).items;
    expect(rows.find((i) => i.id === note.id)!.text).toBe('[redacted]');
    expect(JSON.stringify(rows)).not.toContain('hunter2');
    expect(JSON.stringify(core.incidents.get(id))).not.toContain('hunter2');
    core.db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = Buffer.concat([readFileSync(core.dbFile), existsSync(`${core.dbFile}-wal`) ? readFileSync(`${core.dbFile}-wal`) : Buffer.alloc(0)]);
    expect(bytes.includes('hunter2')).toBe(false);
  });

  it('clears redacted words from the WAL on a later write when a reader held it at the redaction', () => {
    const { core } = setup();
    const { id } = core.incidents.declare({ title: 'API down', severity: 2 });
    const reader = new Database(core.dbFile, { readonly: true });
    reader.pragma('busy_timeout = 0');
    reader.prepare('BEGIN').run();
    reader.prepare('SELECT count(*) FROM events').get(); // another window or the CLI mid-read
    const note = core.events.appendLocal(id, 'note', { text: 'password hunter2-in-wal' });
    core.db.pragma('busy_timeout = 50'); // the redaction's checkpoint gives up on the reader quickly
    core.events.appendLocal(id, 'entry.redacted', { target: note.id, reason: 'credential pasted' });
    reader.prepare('COMMIT').run();
    reader.close();
    core.events.appendLocal(id, 'note', { text: 'later' });
    const wal = existsSync(`${core.dbFile}-wal`) ? readFileSync(`${core.dbFile}-wal`) : Buffer.alloc(0);
    expect(wal.includes('hunter2')).toBe(false);
    expect(readFileSync(core.dbFile).includes('hunter2')).toBe(false);
  });

  it("refuses, as a member, a redaction of someone else's entry on an incident someone else commands", () => {
    const { core } = setup();
    const at = (counter: number) => formatHlc({ wall: Date.now(), counter });
    const someone = { id: 'p-someone', name: 'someone' };
    const id = newId();
    const theirs = { id: newId(), incidentId: id, hlc: at(1), author: someone, kind: 'note' as const, payload: { text: 'their note' } };
    core.events.ingest([{ id: newId(), incidentId: id, hlc: at(0), author: someone, kind: 'incident.declared', payload: { title: 'API down', severity: 2, services: [] } }, theirs]);
    const me = core.profile.get().name;
    core.db.prepare("INSERT INTO sync_state (key, value) VALUES ('hub.member', ?)").run(JSON.stringify({ name: me, role: 'member' }));
    expect(() => core.events.appendLocal(id, 'entry.redacted', { target: theirs.id, reason: 'no' })).toThrow(expect.objectContaining({ code: 'forbidden' }));
    expect(core.events.get(theirs.id)?.payload).toEqual({ text: 'their note' });
    core.events.ingest([{ id: newId(), incidentId: id, hlc: at(2), author: someone, kind: 'role.assigned', payload: { role: 'commander', person: me } }]);
    expect(core.events.appendLocal(id, 'entry.redacted', { target: theirs.id, reason: 'commander may' }).kind).toBe('entry.redacted');
  });

  it('lets a never-synced cockpit (role unknown) redact locally and leaves the decision to the hub', () => {
    const { core } = setup();
    const someone = { id: 'p-someone', name: 'someone' };
    const id = newId();
    const theirs = { id: newId(), incidentId: id, hlc: formatHlc({ wall: Date.now(), counter: 1 }), author: someone, kind: 'note' as const, payload: { text: 'their note' } };
    core.events.ingest([{ ...theirs, id: newId(), hlc: formatHlc({ wall: Date.now(), counter: 0 }), kind: 'incident.declared', payload: { title: 'x', severity: 3, services: [] } }, theirs]);
    expect(core.events.appendLocal(id, 'entry.redacted', { target: theirs.id, reason: 'maybe an admin' }).kind).toBe('entry.redacted');
  });

  it('refuses, before saving, a note that is under the character limit but over the byte limit once serialised', () => {
    const { core } = setup();
    const { id } = core.incidents.declare({ title: 'API down', severity: 2 });
    const before = core.events.pendingCount();
    expect(() => core.events.appendLocal(id, 'note', { text: '\u0001'.repeat(50_000) })).toThrow(expect.objectContaining({ code: 'too-large', message: expect.stringMatching(/KiB once saved; the limit is 256 KiB/) }));
    expect(core.events.pendingCount()).toBe(before);
  });
});

describe('EventStore.ingest', () => {
  it('applies each event exactly once however often it arrives', () => {
    const { core } = setup();
    const { id, event } = core.incidents.declare({ title: 'API down', severity: 2 });
    const remote = {
      id: newId(), incidentId: id, hlc: formatHlc({ wall: Date.now(), counter: 3 }),
      author: { id: 'p-bo', name: 'bo' }, kind: 'severity.changed' as const, payload: { severity: 1 },
    };
    expect(core.events.ingest([remote, remote]).applied).toHaveLength(1);
    expect(core.events.ingest([remote, event]).applied).toHaveLength(0);
    expect(core.incidents.get(id).severity).toBe(1);
    expect(core.incidents.list()[0]!.eventCount).toBe(2);
  });

  it('stores an edit scrubbed when its own redaction arrived first', () => {
    const { core } = setup();
    const { id } = core.incidents.declare({ title: 'API down', severity: 2 });
    const note = core.events.appendLocal(id, 'note', { text: 'rotating the key now' });
    const bo = { id: 'p-bo', name: 'bo' };
    const at = (counter: number) => formatHlc({ wall: Date.now() + 1000, counter });
    const edit = { id: newId(), incidentId: id, hlc: at(1), author: bo, kind: 'entry.edited' as const, payload: { target: note.id, text: 'key hunter2' } };
    const redaction = { id: newId(), incidentId: id, hlc: at(2), author: bo, kind: 'entry.redacted' as const, payload: { target: edit.id, reason: 'credential' } };
    core.events.ingest([redaction]);
    core.events.ingest([edit]);
    expect(core.events.get(edit.id)!.payload).toEqual({ target: note.id, text: '[redacted]' });
    expect(JSON.stringify(core.timeline({ incidentId: id, limit: 10 }).items)).not.toContain('hunter2');
    expect(JSON.stringify(core.db.prepare('SELECT acc_json FROM incidents').all())).not.toContain('hunter2');
  });

  it('moves the local clock past remote stamps so a reply sorts after what it answers', () => {
    const { core } = setup();
    const { id } = core.incidents.declare({ title: 'API down', severity: 2 });
    const ahead = formatHlc({ wall: Date.now() + 60_000, counter: 7 });
    core.events.ingest([{ id: newId(), incidentId: id, hlc: ahead, author: { id: 'p-bo', name: 'bo' }, kind: 'note', payload: { text: 'from the future' } }]);
    expect(core.events.appendLocal(id, 'note', { text: 'reply' }).hlc > ahead).toBe(true);
  });
});

describe('EventStore.settlePush refusals', () => {
  const refusal = (id: string) => [{ id, code: 'forbidden' as const, message: 'a viewer cannot write' }];

  it("folds a refused event out of the incident's last activity too, so its state is the hub's", () => {
    const { core } = setup();
    const { id, event } = core.incidents.declare({ title: 'API down', severity: 2 });
    core.events.settlePush([event.id], []);
    const note = core.events.appendLocal(id, 'note', { text: 'written after' });
    core.events.settlePush([], refusal(note.id));
    expect(core.events.stateOf(id)).toEqual(foldIncident(id, [event]));
    const lone = core.incidents.declare({ title: 'Never shared', severity: 4 });
    core.events.settlePush([], refusal(lone.event.id));
    expect(core.events.stateOf(lone.id)).toEqual(foldIncident(lone.id, []));
  });

  /** A cockpit connected to a hub (so local redactions hold their words) with Bo's incident and note. */
  function bosNote() {
    const { core } = setup();
    core.db.prepare("INSERT INTO sync_state (key, value) VALUES ('hub.url', 'http://127.0.0.1:7340')").run();
    const bo = { id: 'p-bo', name: 'bo' };
    const at = (counter: number) => formatHlc({ wall: Date.now(), counter });
    const id = newId();
    const note = { id: newId(), incidentId: id, hlc: at(1), author: bo, kind: 'note' as const, payload: { text: 'rolled back at 14:02' } };
    core.events.ingest([{ id: newId(), incidentId: id, hlc: at(0), author: bo, kind: 'incident.declared', payload: { title: 'API down', severity: 2, services: [] } }, note]);
    return { core, bo, at, id, note };
  }

  describe('an edit of ours, queued when a redaction of ours scrubbed its entry, that the hub accepts', () => {
    function queued() {
      const { core, id, note } = bosNote();
      const edit = core.events.appendLocal(id, 'entry.edited', { target: note.id, text: 'rolled back at 14:03' });
      return { core, id, note, edit };
    }

    it('keeps its words gone when it was sent without them and the hub then refuses the redaction', () => {
      const { core, note, edit } = queued();
      const redaction = core.events.appendLocal(note.incidentId, 'entry.redacted', { target: note.id, reason: 'mine' });
      const batch = readOutbox(core.db, 10, 1 << 20).events; // what the engine pushes: the edit already scrubbed
      expect(batch.map((e) => e.id)).toEqual([edit.id, redaction.id]);
      core.events.settlePush([edit.id], refusal(redaction.id), new Date(), batch);
      // The hub stores the edit as it got it; so does its writer.
      expect(core.events.get(edit.id)!.payload).toEqual(batch[0]!.payload);
      expect(core.events.get(note.id)!.payload).toEqual(note.payload);
    });

    it('gets its words back when it was sent with them before the redaction was written', () => {
      const { core, note, edit } = queued();
      const batch = readOutbox(core.db, 10, 1 << 20).events; // in flight, words and all
      const redaction = core.events.appendLocal(note.incidentId, 'entry.redacted', { target: note.id, reason: 'mine' });
      core.events.settlePush([edit.id], [], new Date(), batch);
      core.events.settlePush([], refusal(redaction.id), new Date(), readOutbox(core.db, 10, 1 << 20).events);
      expect(core.events.get(edit.id)!.payload).toEqual(edit.payload);
    });
  });

  describe('an edit that arrives while a local redaction of its entry waits for the hub', () => {
    function pending() {
      const { core, bo, at, id, note } = bosNote();
      // Never synced, so the role is unknown here and the hub decides.
      const redaction = core.events.appendLocal(id, 'entry.redacted', { target: note.id, reason: 'mine' });
      const edit = { id: newId(), incidentId: id, hlc: at(2), author: bo, kind: 'entry.edited' as const, payload: { target: note.id, text: 'rolled back at 14:03' } };
      core.events.ingest([edit]);
      expect(core.events.get(edit.id)!.payload).toEqual({ target: note.id, text: '[redacted]' });
      return { core, id, note, edit, redaction };
    }

    it('gets its words back when the hub refuses the redaction', () => {
      const { core, id, note, edit, redaction } = pending();
      core.events.settlePush([], refusal(redaction.id));
      expect(core.events.get(edit.id)!.payload).toEqual(edit.payload);
      expect(core.events.get(note.id)!.payload).toEqual(note.payload);
      expect(core.timeline({ incidentId: id, limit: 10 }).items.find((i) => i.id === note.id)).toMatchObject({ text: 'rolled back at 14:03', edited: true, redacted: false });
    });

    it('loses them for good when the hub accepts it', () => {
      const { core, edit, redaction } = pending();
      core.events.settlePush([redaction.id], []);
      expect(core.events.get(edit.id)!.payload).toEqual({ target: edit.payload.target, text: '[redacted]' });
      expect(core.db.prepare('SELECT count(*) AS n FROM held_words').get()).toEqual({ n: 0 });
    });
  });
});
