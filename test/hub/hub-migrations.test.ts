import Database from 'better-sqlite3';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { targetOf, type ConnEvent } from '../../shared/domain/events.js';
import { newId } from '../../shared/domain/ids.js';
import { REDACTED_TEXT, scrubEvent } from '../../shared/domain/redaction.js';
import type { MemberRole, SequencedEvent } from '../../shared/sync/protocol.js';
import { dropPostgresSchema, migratePostgres, openPostgresStore, POSTGRES_MIGRATIONS, POSTGRES_SCHEMA_VERSION } from '../../server/store/postgres.js';
import { HUB_SQLITE_MIGRATIONS, migrateHubSqlite, SQLITE_SCHEMA_VERSION } from '../../server/store/sqlite-migrations.js';
import { HUB_DB_FILE, openSqliteStore } from '../../server/store/sqlite.js';
import type { HubStore, Member } from '../../server/store/store.js';
import { mintToken } from '../../server/store/tokens.js';
import { defaultSettings } from '../../server/alerts/integration.js';
import { formatHlc } from '../../shared/sync/hlc.js';
import { checkChannel } from '../../server/updates/channel-config.js';
import { makeEvent } from './hub-fixture.js';

/*
 * A hub at any earlier schema version must open with the current code with all its data intact
 * and working. For every earlier version (0 is an empty database), each case builds the
 * database exactly as that version left it (the real migrations up to it), fills it with rows as
 * that version's hub wrote them (two teams, members with tokens minted then, a revoked one,
 * events with a redaction and edits), then opens it with the current store and checks it through
 * the HubStore API: the old tokens sign in, each team's events come back in seq order with dense
 * seqs and the right head, redacted words are gone, and new commits work, including the ones
 * that depend on how old rows were migrated.
 */

const PG = process.env['CONN_TEST_POSTGRES'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const run = randomBytes(4).toString('hex');
const work = mkdtempSync(path.join(tmpdir(), 'conn-hub-migrations-'));
const schemas: string[] = [];

afterAll(async () => {
  rmSync(work, { recursive: true, force: true });
  for (const s of schemas) await dropPostgresSchema(PG, s);
});

/** How a hub of some version stored its rows. */
interface Shape {
  /** events.target_id exists (SQLite 2+, Postgres from 7db0fcd on). */
  target: boolean;
  /** The hub scrubbed a redacted entry's stored words when the redaction arrived (same versions). */
  scrubs: boolean;
  /** The incidents table (which team first wrote an incident id) still exists. */
  incidents: boolean;
  /** Event ids are unique per team (SQLite 3+, Postgres 2+); before, across the whole hub. */
  namespaced: boolean;
}

const sqliteShape = (v: number): Shape => ({ target: v >= 2, scrubs: v >= 2, incidents: v < 3, namespaced: v >= 3 });
const postgresShape = (v: number): Shape => ({ target: true, scrubs: true, incidents: v < 2, namespaced: v >= 2 });

interface FixtureMember extends Member {
  token: string;
  salt: string;
  hash: string;
}

interface Fixture {
  teams: { payments: { id: string; name: string }; search: { id: string; name: string } };
  members: FixtureMember[];
  /** Every stored event, by team, in seq order, as the client sent it. */
  events: Array<{ teamId: string; seq: number; event: ConnEvent }>;
  incidents: Array<{ id: string; teamId: string }>;
  ids: { inc1: string; inc2: string; n1: string; e1: string; n2: string; e2: string };
}

function member(team: { id: string; name: string }, name: string, role: MemberRole, revoked = false): FixtureMember {
  const t = mintToken();
  return { id: t.memberId, teamId: team.id, team: team.name, name, role, revoked, token: t.token, salt: t.salt, hash: t.hash };
}

/** Two teams, four members (one revoked), and a timeline with a redaction of an edited note. */
function fixture(): Fixture {
  const payments = { id: randomUUID(), name: 'payments' };
  const search = { id: randomUUID(), name: 'search' };
  const inc1 = newId();
  const inc2 = newId();
  const declare = (inc: string, who: string) => makeEvent(inc, 'incident.declared', { title: 'Checkout down', severity: 1, services: ['checkout'] }, who);
  const n1 = makeEvent(inc1, 'note', { text: 'the db password is hunter2' }, 'Ana');
  const e1 = makeEvent(inc1, 'entry.edited', { target: n1.id, text: 'the db password hunter2 is rotated' }, 'Ana');
  const n2 = makeEvent(inc1, 'note', { text: 'disk at 91%' }, 'Ben');
  const e2 = makeEvent(inc1, 'entry.edited', { target: n2.id, text: 'disk at 93%' }, 'Ben');
  const paymentsLog = [declare(inc1, 'Ana'), n1, e1, makeEvent(inc1, 'entry.redacted', { target: n1.id, reason: 'a credential' }, 'Ana'), n2, e2];
  const searchLog = [declare(inc2, 'Cy'), makeEvent(inc2, 'note', { text: 'index rebuilt' }, 'Cy')];
  return {
    teams: { payments, search },
    members: [member(payments, 'Ana', 'admin'), member(payments, 'Ben', 'member'), member(payments, 'Dee', 'viewer', true), member(search, 'Cy', 'admin')],
    events: [
      ...paymentsLog.map((event, i) => ({ teamId: payments.id, seq: i + 1, event })),
      ...searchLog.map((event, i) => ({ teamId: search.id, seq: i + 1, event })),
    ],
    incidents: [
      { id: inc1, teamId: payments.id },
      { id: inc2, teamId: search.id },
    ],
    ids: { inc1, inc2, n1: n1.id, e1: e1.id, n2: n2.id, e2: e2.id },
  };
}

const headOf = (f: Fixture, teamId: string) => f.events.filter((e) => e.teamId === teamId).length;

/** The body a hub of this shape stored: hubs that scrubbed did so for the redacted note and its edit. */
function storedBody(f: Fixture, shape: Shape, e: ConnEvent): string {
  const redacted = e.id === f.ids.n1 || e.id === f.ids.e1;
  return JSON.stringify(redacted && shape.scrubs ? scrubEvent(e) : e);
}

/** What every hub serves once migrated: the redacted note and its edit without their words. */
function expectedLog(f: Fixture, teamId: string): SequencedEvent[] {
  return f.events
    .filter((e) => e.teamId === teamId)
    .map(({ seq, event }) => ({ seq, event: event.id === f.ids.n1 || event.id === f.ids.e1 ? scrubEvent(event) : event }));
}

/**
 * The checks every migrated hub must pass, through the HubStore API only. Each one fails if the
 * migration lost or mangled something: tokens, order, seqs, heads, scrubbing, or the targets a
 * new commit relies on to find old redactions and edits.
 */
async function checkMigrated(store: HubStore, f: Fixture): Promise<void> {
  const { payments, search } = f.teams;
  for (const m of f.members) {
    expect(await store.authenticate(m.token)).toEqual({ id: m.id, teamId: m.teamId, team: m.team, name: m.name, role: m.role, revoked: m.revoked });
  }
  for (const team of [payments, search]) {
    const all = await store.pull(team.id, 0, 1000);
    expect(all).toEqual({ events: expectedLog(f, team.id), head: headOf(f, team.id) });
  }
  // A page from a cursor: seq order, and the head of the whole log.
  expect(await store.pull(payments.id, 2, 2)).toEqual({ events: expectedLog(f, payments.id).slice(2, 4), head: 6 });

  const [ana, ben] = [f.members[0]!, f.members[1]!];
  const cy = f.members[3]!;
  // New commits continue the old sequence.
  const note = makeEvent(f.ids.inc1, 'note', { text: 'rolled back 4.2.1' }, 'Ben');
  expect((await store.commit(ben, [note])).accepted).toEqual([{ id: note.id, seq: 7 }]);
  // A late edit of the note redacted before the migration is stored without its words: the hub
  // must still find that old redaction by its target.
  const lateEdit = makeEvent(f.ids.inc1, 'entry.edited', { target: f.ids.n1, text: 'hunter2 again' }, 'Ana');
  expect((await store.commit(ana, [lateEdit])).accepted).toEqual([{ id: lateEdit.id, seq: 8 }]);
  // Redacting a note edited before the migration scrubs that edit too: found by its target.
  const redaction = makeEvent(f.ids.inc1, 'entry.redacted', { target: f.ids.n2, reason: 'not ours to share' }, 'Ana');
  expect((await store.commit(ana, [redaction])).accepted).toEqual([{ id: redaction.id, seq: 9 }]);
  // Event ids are each team's own now: search may use an id payments already has.
  const sameId = { ...makeEvent(f.ids.inc2, 'note', { text: 'same id, other team' }, 'Cy'), id: f.ids.n2 } as ConnEvent;
  expect((await store.commit(cy, [sameId])).accepted).toEqual([{ id: f.ids.n2, seq: 3 }]);

  const after = await store.pull(payments.id, 0, 1000);
  expect(after.head).toBe(9);
  expect(after.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const text = (id: string) => (after.events.find((e) => (e.event as ConnEvent).id === id)!.event as { payload: { text?: string } }).payload.text;
  expect([text(f.ids.n1), text(f.ids.e1), text(lateEdit.id)]).toEqual([REDACTED_TEXT, REDACTED_TEXT, REDACTED_TEXT]);
  expect([text(f.ids.n2), text(f.ids.e2)]).toEqual([REDACTED_TEXT, REDACTED_TEXT]);
  expect(text(note.id)).toBe('rolled back 4.2.1');
  expect((await store.pull(search.id, 2, 10)).events).toEqual([{ seq: 3, event: sameId }]);
  // And the other team's note of that id is untouched by the namesake.
  expect(text(f.ids.n2)).toBe(REDACTED_TEXT);

  // Profiles (SQLite 5, Postgres 4) start empty and work for members invited before them.
  expect(await store.profiles(payments.id)).toEqual([]);
  const published = await store.publishProfile(ana, { timeZone: 'Asia/Kolkata', workingHours: '09:00-17:00' });
  expect(published.changed).toBe(true);
  expect(await store.profiles(payments.id)).toEqual([{ name: ana.name, timeZone: 'Asia/Kolkata', workingHours: '09:00-17:00', updatedAt: published.profile.updatedAt }]);
  expect(await store.profiles(search.id)).toEqual([]);

  // Update delivery (SQLite 6, Postgres 5): a channel added to a team whose incident predates
  // it gets that incident's next update queued, with the old declaration's title in it.
  expect(await store.deliveries.channels(payments.name)).toEqual([]);
  await store.deliveries.addChannel(payments.name, checkChannel({ name: 'hook', kind: 'webhook', url: 'http://127.0.0.1:9/hook', secret: 'sixteen-chars-secret' }));
  const posted = makeEvent(f.ids.inc1, 'update.posted', { text: 'we are on it' }, 'Ana');
  expect((await store.commit(ana, [posted])).accepted).toEqual([{ id: posted.id, seq: 10 }]);
  expect(await store.deliveries.forIncident(payments.id, f.ids.inc1)).toEqual([expect.objectContaining({ updateId: posted.id, channel: 'hook', state: 'queued', attempts: 0 })]);
  const [claimed] = await store.deliveries.claim(Date.now(), 1000, 10);
  expect(claimed).toMatchObject({ eventId: posted.id, attempt: 1, snapshot: { incident: { title: 'Checkout down' }, update: { text: 'we are on it' } } });
  // Alert integrations (SQLite 7, Postgres 6) start empty and work for teams made before them.
  expect(await store.integrations('payments')).toEqual([]);
  const added = await store.addIntegration('payments', 'prod-am', 'alertmanager', defaultSettings('alertmanager'));
  expect(await store.authenticateIntegration(added.token)).toEqual(added.integration);
  const applied = await store.commitAlerts(added.integration, [{ fingerprint: 'f1', state: 'firing', title: 'Disk full', labels: { severity: 'critical' } }], () => formatHlc({ wall: Date.now(), counter: 0 }));
  expect(applied.outcomes).toMatchObject([{ action: 'declared' }]);
  expect(applied.committed.map((c) => c.seq)).toEqual([11]);
  // Shared recordings (SQLite 8, Postgres 7) start empty and work for members invited before
  // them: offered, uploaded in two chunks, completed by digest, read back by range, isolated by team.
  expect(await store.recordings.list(payments.id, f.ids.inc1)).toEqual([]);
  const audio = randomBytes(300 * 1024);
  const recordingId = newId();
  const offered = await store.recordings.offer(ben, { recordingId, incidentId: f.ids.inc1, callId: newId(), mime: 'audio/wav', durationMs: 9000, totalBytes: audio.length }, 1024 ** 3, Date.now());
  expect(offered).toEqual({ recordingId, received: 0, totalBytes: audio.length, complete: false });
  await store.recordings.chunk(ben, { recordingId, offset: 0, bytes: audio.subarray(0, 256 * 1024) }, 1024 ** 3);
  await store.recordings.chunk(ben, { recordingId, offset: 256 * 1024, bytes: audio.subarray(256 * 1024) }, 1024 ** 3);
  const sha256 = createHash('sha256').update(audio).digest('hex');
  expect(await store.recordings.complete(ben, { recordingId, sha256 }, Date.now())).toMatchObject({ recording: { complete: true, sha256, uploader: 'Ben' } });
  const range = await store.recordings.fetch(payments.id, { recordingId, offset: 256 * 1024 - 10, length: 20 });
  expect(Buffer.from(range.bytes).equals(audio.subarray(256 * 1024 - 10, 256 * 1024 + 10))).toBe(true);
  expect(await store.recordings.usage()).toEqual([{ team: 'payments', bytes: audio.length }]);
  await expect(store.recordings.get(search.id, recordingId)).rejects.toMatchObject({ code: 'not-found' });
}

/** An empty database or schema becomes an empty hub that works like any other. */
async function checkEmpty(store: HubStore): Promise<void> {
  const invite = await store.invite('payments', 'Ana', 'admin');
  const who = (await store.authenticate(invite.token))!;
  const e = makeEvent(newId(), 'incident.declared', { title: 'First', severity: 2, services: [] }, 'Ana');
  expect((await store.commit(who, [e])).accepted).toEqual([{ id: e.id, seq: 1 }]);
  expect(await store.pull(who.teamId, 0, 10)).toEqual({ events: [{ seq: 1, event: e }], head: 1 });
}

describe('the hub migrations', () => {
  it('are numbered 1, 2, 3, … with a name each, on both stores', () => {
    for (const list of [HUB_SQLITE_MIGRATIONS, POSTGRES_MIGRATIONS]) {
      expect(list.map((m) => m.version)).toEqual(list.map((_, i) => i + 1));
      expect(new Set(list.map((m) => m.name)).size).toBe(list.length);
      for (const m of list) expect(m.name).toMatch(/^[a-z0-9-]+$/);
    }
    expect(SQLITE_SCHEMA_VERSION).toBe(HUB_SQLITE_MIGRATIONS.length);
    expect(POSTGRES_SCHEMA_VERSION).toBe(POSTGRES_MIGRATIONS.length);
  });
});

// ---------------------------------------------------------------------------------------------
// SQLite

function writeSqlite(db: Database.Database, f: Fixture, shape: Shape): void {
  const now = new Date().toISOString();
  db.transaction(() => {
    for (const t of Object.values(f.teams)) db.prepare('INSERT INTO teams (id, name, head, created_at) VALUES (?, ?, ?, ?)').run(t.id, t.name, headOf(f, t.id), now);
    for (const m of f.members) {
      db.prepare('INSERT INTO members (id, team_id, name, role, salt, token_hash, revoked_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
        m.id, m.teamId, m.name, m.role, m.salt, m.hash, m.revoked ? now : null, now,
      );
    }
    if (shape.incidents) for (const i of f.incidents) db.prepare('INSERT INTO incidents (id, team_id) VALUES (?, ?)').run(i.id, i.teamId);
    for (const { teamId, seq, event } of f.events) insertSqliteEvent(db, shape, teamId, seq, event, storedBody(f, shape, event));
  })();
}

function insertSqliteEvent(db: Database.Database, shape: Shape, teamId: string, seq: number, e: ConnEvent, body: string): void {
  if (shape.target) {
    db.prepare('INSERT INTO events (team_id, seq, id, incident_id, kind, target_id, body, committed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
      teamId, seq, e.id, e.incidentId, e.kind, targetOf(e) ?? null, body, Date.now(),
    );
  } else {
    db.prepare('INSERT INTO events (team_id, seq, id, incident_id, kind, body, committed_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(teamId, seq, e.id, e.incidentId, e.kind, body, Date.now());
  }
}

describe('a SQLite hub from every earlier schema version', () => {
  for (let v = 0; v <= SQLITE_SCHEMA_VERSION; v++) {
    it(`${v === 0 ? 'an empty database' : `version ${v}`}${v === SQLITE_SCHEMA_VERSION ? ' (the latest, reopened)' : ''} opens with the current code, everything readable and working`, async () => {
      const dir = mkdtempSync(path.join(work, `sqlite-v${v}-`));
      const f = fixture();
      const shape = sqliteShape(v);
      const db = new Database(path.join(dir, HUB_DB_FILE));
      expect(migrateHubSqlite(db, 'under test', v)).toEqual({ from: 0, to: v });
      expect(db.pragma('user_version', { simple: true })).toBe(v);
      if (v > 0) {
        writeSqlite(db, f, shape);
        if (!shape.namespaced) {
          // Before migration 3 an event id was unique across the whole hub: the same id in two
          // teams could not exist.
          const e = { ...makeEvent(f.ids.inc2, 'note', { text: 'namesake' }, 'Cy'), id: f.ids.n2 } as ConnEvent;
          expect(() => insertSqliteEvent(db, shape, f.teams.search.id, 3, e, JSON.stringify(e))).toThrow(/UNIQUE constraint failed: events\.id/);
        }
      }
      db.close();
      const store = openSqliteStore(dir);
      try {
        if (v === 0) await checkEmpty(store);
        else await checkMigrated(store, f);
      } finally {
        await store.close();
      }
    });
  }

  it('refuses a database from a newer Conn with a sentence, and leaves it as it was', async () => {
    const dir = mkdtempSync(path.join(work, 'sqlite-newer-'));
    const file = path.join(dir, HUB_DB_FILE);
    const db = new Database(file);
    migrateHubSqlite(db, 'under test');
    db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION + 1}`);
    db.close();
    const before = readFileSync(file);
    expect(() => openSqliteStore(dir)).toThrow(
      expect.objectContaining({
        code: 'db-too-new',
        message: `the hub database in ${dir} is at schema ${SQLITE_SCHEMA_VERSION + 1}, newer than this Conn knows (${SQLITE_SCHEMA_VERSION}): it was written by a newer Conn, so upgrade conn to use it; nothing was changed`,
      }),
    );
    expect(readFileSync(file).equals(before)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Postgres

async function withClient<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

function freshSchema(label: string): string {
  const s = `conn_hub_mig_${run}_${label}`;
  schemas.push(s);
  return s;
}

async function writePostgres(c: pg.ClientBase, s: string, f: Fixture, shape: Shape): Promise<void> {
  await c.query('BEGIN');
  for (const t of Object.values(f.teams)) await c.query(`INSERT INTO "${s}".teams (id, name, head) VALUES ($1, $2, $3)`, [t.id, t.name, headOf(f, t.id)]);
  for (const m of f.members) {
    await c.query(`INSERT INTO "${s}".members (id, team_id, name, name_key, role, salt, token_hash, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [
      m.id, m.teamId, m.name, m.name.toLowerCase(), m.role, m.salt, m.hash, m.revoked ? new Date() : null,
    ]);
  }
  if (shape.incidents) for (const i of f.incidents) await c.query(`INSERT INTO "${s}".incidents (id, team_id) VALUES ($1, $2)`, [i.id, i.teamId]);
  for (const { teamId, seq, event } of f.events) await insertPostgresEvent(c, s, shape, teamId, seq, event, storedBody(f, shape, event));
  await c.query('COMMIT');
}

async function insertPostgresEvent(c: pg.ClientBase, s: string, shape: Shape, teamId: string, seq: number, e: ConnEvent, body: string): Promise<void> {
  if (shape.target) {
    await c.query(`INSERT INTO "${s}".events (team_id, seq, id, incident_id, kind, target_id, body) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
      teamId, seq, e.id, e.incidentId, e.kind, targetOf(e) ?? null, body,
    ]);
  } else {
    await c.query(`INSERT INTO "${s}".events (team_id, seq, id, incident_id, kind, body) VALUES ($1, $2, $3, $4, $5, $6)`, [teamId, seq, e.id, e.incidentId, e.kind, body]);
  }
}

/**
 * The two shapes a Postgres hub had before its schema was versioned (no schema_version table):
 * as first released (a305d80: no target_id, no scrubbing) and once redactions were scrubbed
 * (7db0fcd). Migration 1 adopts either.
 */
const BEFORE_VERSIONING = {
  'first release': (s: string) => `
    CREATE SCHEMA ${s};
    CREATE TABLE ${s}.teams (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, head BIGINT NOT NULL DEFAULT 0, created_at TIMESTAMPTZ NOT NULL DEFAULT now());
    CREATE TABLE ${s}.members (
      id TEXT PRIMARY KEY, team_id TEXT NOT NULL REFERENCES ${s}.teams(id), name TEXT NOT NULL, name_key TEXT NOT NULL,
      role TEXT NOT NULL, salt TEXT NOT NULL, token_hash TEXT NOT NULL, revoked_at TIMESTAMPTZ, created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      UNIQUE (team_id, name_key));
    CREATE TABLE ${s}.incidents (id TEXT PRIMARY KEY, team_id TEXT NOT NULL);
    CREATE TABLE ${s}.events (
      team_id TEXT NOT NULL, seq BIGINT NOT NULL, id TEXT NOT NULL UNIQUE, incident_id TEXT NOT NULL, kind TEXT NOT NULL,
      body TEXT NOT NULL, committed_at TIMESTAMPTZ NOT NULL DEFAULT now(), PRIMARY KEY (team_id, seq));
    CREATE INDEX events_by_incident_kind ON ${s}.events (incident_id, kind);`,
  'with redaction targets': (s: string) => `${BEFORE_VERSIONING['first release'](s)}
    ALTER TABLE ${s}.events ADD COLUMN target_id TEXT;
    CREATE INDEX events_by_target ON ${s}.events (target_id) WHERE target_id IS NOT NULL;`,
};

describe('a Postgres hub from every earlier schema version', () => {
  for (let v = 0; v <= POSTGRES_SCHEMA_VERSION; v++) {
    it(`${v === 0 ? 'an empty schema' : `version ${v}`}${v === POSTGRES_SCHEMA_VERSION ? ' (the latest, reopened)' : ''} opens with the current code, everything readable and working`, async () => {
      const schema = freshSchema(`v${v}`);
      const f = fixture();
      const shape = postgresShape(v);
      await withClient(async (c) => {
        expect(await migratePostgres(c, schema, v)).toEqual({ from: 0, to: v });
        expect((await c.query(`SELECT version FROM "${schema}".schema_version`)).rows).toEqual([{ version: v }]);
        if (v === 0) return;
        await writePostgres(c, schema, f, shape);
        if (!shape.namespaced) {
          const e = { ...makeEvent(f.ids.inc2, 'note', { text: 'namesake' }, 'Cy'), id: f.ids.n2 } as ConnEvent;
          await expect(insertPostgresEvent(c, schema, shape, f.teams.search.id, 3, e, JSON.stringify(e))).rejects.toThrow(/duplicate key value violates unique constraint "events_id_key"/);
        }
      });
      const store = await openPostgresStore({ url: PG, schema, poolSize: 2 });
      try {
        if (v === 0) await checkEmpty(store);
        else await checkMigrated(store, f);
      } finally {
        await store.close();
      }
    });
  }

  for (const [label, ddl] of Object.entries(BEFORE_VERSIONING)) {
    it(`a schema from before versioning (${label}) is adopted and migrated, everything readable and working`, async () => {
      const schema = freshSchema(label === 'first release' ? 'pre_a' : 'pre_b');
      const f = fixture();
      const shape: Shape = label === 'first release' ? { target: false, scrubs: false, incidents: true, namespaced: false } : { target: true, scrubs: true, incidents: true, namespaced: false };
      await withClient(async (c) => {
        await c.query(ddl(`"${schema}"`));
        await writePostgres(c, schema, f, shape);
        expect(await migratePostgres(c, schema)).toEqual({ from: 0, to: POSTGRES_SCHEMA_VERSION });
      });
      const store = await openPostgresStore({ url: PG, schema, poolSize: 2 });
      try {
        await checkMigrated(store, f);
      } finally {
        await store.close();
      }
    });
  }

  it('refuses a schema from a newer Conn with a sentence, and leaves it as it was', async () => {
    const schema = freshSchema('newer');
    await withClient(async (c) => {
      await migratePostgres(c, schema);
      await c.query(`UPDATE "${schema}".schema_version SET version = $1`, [POSTGRES_SCHEMA_VERSION + 1]);
      await expect(openPostgresStore({ url: PG, schema, poolSize: 1 })).rejects.toThrow(
        expect.objectContaining({
          code: 'db-too-new',
          message: `the hub schema "${schema}" is at version ${POSTGRES_SCHEMA_VERSION + 1}, newer than this Conn knows (${POSTGRES_SCHEMA_VERSION}): it was written by a newer Conn, so upgrade conn to use it; nothing was changed`,
        }),
      );
      expect((await c.query(`SELECT version FROM "${schema}".schema_version`)).rows).toEqual([{ version: POSTGRES_SCHEMA_VERSION + 1 }]);
    });
  });
});
