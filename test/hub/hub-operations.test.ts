import Database from 'better-sqlite3';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConnEvent } from '../../shared/domain/events.js';
import { newId } from '../../shared/domain/ids.js';
import type { PullResponse, PushAck, SequencedEvent } from '../../shared/sync/protocol.js';
import { dropPostgresSchema, migratePostgres, POSTGRES_SCHEMA_VERSION } from '../../server/store/postgres.js';
import { migrateHubSqlite, SQLITE_SCHEMA_VERSION } from '../../server/store/sqlite-migrations.js';
import { buildBin, conn, connAsync, ok, serveHub, type HubProcess } from '../sync/conn-bin.js';
import { client, declare, makeEvent } from './hub-fixture.js';

/*
 * Running a hub, through the real `conn` bin: `conn hub migrate` brings a store's schema up to
 * date without serving; `conn hub backup` copies the embedded store while the hub serves and
 * takes pushes; `conn hub restore` puts a backup back, never under a serving hub, and keeps the
 * database it replaced.
 */

const PG = process.env['CONN_TEST_POSTGRES'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const run = randomBytes(4).toString('hex');
const work = mkdtempSync(path.join(tmpdir(), 'conn-hub-ops-'));
const schemas: string[] = [];
const hubs: HubProcess[] = [];
const sockets: Socket[] = [];

beforeAll(() => buildBin(), 60_000);
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  for (const h of hubs.splice(0)) {
    h.child.kill('SIGTERM');
    await h.exited;
  }
});
afterAll(async () => {
  rmSync(work, { recursive: true, force: true });
  for (const s of schemas) await dropPostgresSchema(PG, s);
});

/** Push budgets off: these tests push as fast as they can, and are about the database. */
const NO_LIMITS = ['--member-rate', '0', '--team-rate', '0', '--team-bytes-per-day', '0'];

async function serve(dir: string): Promise<HubProcess> {
  const h = await serveHub(dir, 0, {}, NO_LIMITS);
  hubs.push(h);
  return h;
}

async function stop(h: HubProcess): Promise<void> {
  hubs.splice(hubs.indexOf(h), 1);
  h.child.kill('SIGTERM');
  expect((await h.exited).code).toBe(0);
}

async function connect(h: HubProcess, token: string): Promise<Socket> {
  const s = await client(h.url, token);
  sockets.push(s);
  await s.timeout(5000).emitWithAck('subscribe', {});
  return s;
}

async function push(s: Socket, events: ConnEvent[]): Promise<PushAck> {
  const ack = (await s.timeout(10_000).emitWithAck('push', { events })) as PushAck;
  expect(ack.rejected).toEqual([]);
  return ack;
}

/** The team's whole log as the hub serves it. */
async function pullAll(s: Socket): Promise<{ events: SequencedEvent[]; head: number }> {
  const events: SequencedEvent[] = [];
  for (;;) {
    const page = (await s.timeout(10_000).emitWithAck('pull', { after: events.length ? events.at(-1)!.seq : 0, limit: 500 })) as PullResponse;
    events.push(...page.events);
    if (page.events.length === 0 || events.at(-1)!.seq >= page.head) return { events, head: page.head };
  }
}

/** The team log stored in a hub database file, read directly. */
function storedLog(file: string): { seqs: number[]; ids: string[]; head: number } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT seq, id FROM events ORDER BY seq').all() as Array<{ seq: number; id: string }>;
    const head = (db.prepare('SELECT head FROM teams').get() as { head: number }).head;
    return { seqs: rows.map((r) => r.seq), ids: rows.map((r) => r.id), head };
  } finally {
    db.close();
  }
}

const modeOf = (f: string) => (statSync(f).mode & 0o777).toString(8);
const tokenOf = (dir: string, name: string) => (JSON.parse(ok(dir, ['--json', 'hub', 'invite', name, '--team', 'payments', '--role', 'admin'])) as { token: string }).token;
const snapshot = (dir: string) => Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(path.join(dir, f)).toString('base64')]));

describe('conn hub migrate', () => {
  it('brings an embedded hub from an earlier schema up to date, and says so; a second run has nothing to do', () => {
    const dir = mkdtempSync(path.join(work, 'migrate-sqlite-'));
    const db = new Database(path.join(dir, 'hub.sqlite'));
    migrateHubSqlite(db, 'under test', 1);
    db.prepare("INSERT INTO teams (id, name, head, created_at) VALUES ('t1', 'payments', 0, '2026-01-01T00:00:00Z')").run();
    db.close();

    expect(JSON.parse(ok(dir, ['--json', 'hub', 'migrate']))).toEqual({ store: 'sqlite', from: 1, to: SQLITE_SCHEMA_VERSION, latest: SQLITE_SCHEMA_VERSION });
    const again = conn(dir, ['hub', 'migrate']);
    expect(again).toMatchObject({ code: 0, stderr: '' });
    expect(again.stdout).toBe(`The hub schema (SQLite in ${dir}) is at version ${SQLITE_SCHEMA_VERSION}, the latest: nothing to do.\n`);
    const after = new Database(path.join(dir, 'hub.sqlite'), { readonly: true });
    expect([after.pragma('user_version', { simple: true }), after.prepare('SELECT name FROM teams').all()]).toEqual([SQLITE_SCHEMA_VERSION, [{ name: 'payments' }]]);
    after.close();
  });

  it('prints the versions before and after for a person', () => {
    const dir = mkdtempSync(path.join(work, 'migrate-human-'));
    const db = new Database(path.join(dir, 'hub.sqlite'));
    migrateHubSqlite(db, 'under test', 2);
    db.close();
    expect(ok(dir, ['hub', 'migrate'])).toBe(`Migrated the hub schema (SQLite in ${dir}) from version 2 to ${SQLITE_SCHEMA_VERSION}, the latest.\n`);
  });

  it('refuses a database from a newer Conn with exit 1 and a sentence, and changes nothing', () => {
    const dir = mkdtempSync(path.join(work, 'migrate-newer-'));
    const db = new Database(path.join(dir, 'hub.sqlite'));
    migrateHubSqlite(db, 'under test');
    db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION + 1}`);
    db.close();
    const before = snapshot(dir);
    const sentence = `the hub database in ${dir} is at schema ${SQLITE_SCHEMA_VERSION + 1}, newer than this Conn knows (${SQLITE_SCHEMA_VERSION}): it was written by a newer Conn, so upgrade conn to use it; nothing was changed`;
    expect(conn(dir, ['hub', 'migrate'])).toEqual({ code: 1, stdout: '', stderr: `conn: ${sentence}\n` });
    expect(JSON.parse(conn(dir, ['--json', 'hub', 'migrate']).stderr)).toEqual({ error: { code: 'db-too-new', message: sentence } });
    expect(snapshot(dir)).toEqual(before);
  });

  it('refuses a data dir without a hub database instead of creating one there', () => {
    const dir = mkdtempSync(path.join(work, 'migrate-missing-'));
    const r = conn(dir, ['hub', 'migrate']);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(`conn: there is no hub database (hub.sqlite) in ${dir}: check --data-dir (conn hub invite or conn hub serve creates one)\n`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('brings a Postgres hub schema up to date with --postgres and --pg-schema, and refuses a newer one', async () => {
    const schema = `conn_hub_ops_${run}`;
    schemas.push(schema);
    const c = new pg.Client({ connectionString: PG });
    await c.connect();
    try {
      await migratePostgres(c, schema, 1);
      const dir = mkdtempSync(path.join(work, 'migrate-pg-'));
      const flags = ['--postgres', PG, '--pg-schema', schema];
      expect(JSON.parse(ok(dir, ['--json', 'hub', 'migrate', ...flags]))).toEqual({ store: 'postgres', from: 1, to: POSTGRES_SCHEMA_VERSION, latest: POSTGRES_SCHEMA_VERSION });
      expect((await c.query(`SELECT version FROM "${schema}".schema_version`)).rows).toEqual([{ version: POSTGRES_SCHEMA_VERSION }]);
      expect(ok(dir, ['hub', 'migrate', ...flags])).toBe(`The hub schema (Postgres schema "${schema}") is at version ${POSTGRES_SCHEMA_VERSION}, the latest: nothing to do.\n`);

      await c.query(`UPDATE "${schema}".schema_version SET version = $1`, [POSTGRES_SCHEMA_VERSION + 1]);
      expect(conn(dir, ['hub', 'migrate', ...flags])).toEqual({
        code: 1,
        stdout: '',
        stderr: `conn: the hub schema "${schema}" is at version ${POSTGRES_SCHEMA_VERSION + 1}, newer than this Conn knows (${POSTGRES_SCHEMA_VERSION}): it was written by a newer Conn, so upgrade conn to use it; nothing was changed\n`,
      });
      expect((await c.query(`SELECT version FROM "${schema}".schema_version`)).rows).toEqual([{ version: POSTGRES_SCHEMA_VERSION + 1 }]);
    } finally {
      await c.end();
    }
  });
});

describe('conn hub backup and restore', () => {
  it('backs up while the hub serves and takes pushes; the restored hub serves the same head and events', async () => {
    const dir = mkdtempSync(path.join(work, 'hub-'));
    const backup = path.join(work, `backup-${run}.sqlite`);
    const token = tokenOf(dir, 'Ana');
    const hub = await serve(dir);
    const s = await connect(hub, token);
    const inc = newId();
    await push(s, [declare(inc, 'Ana')]);

    // Push batches without pause for as long as the backup runs (and a while before and after).
    let acked = 1;
    let pushing = true;
    const pusher = (async () => {
      while (pushing) {
        const batch = Array.from({ length: 50 }, (_, i) => makeEvent(inc, 'note', { text: `note ${acked + i} ${'x'.repeat(1000)}` }, 'Ana'));
        acked += (await push(s, batch)).accepted.length;
      }
    })();
    while (acked < 1000) await new Promise((r) => setTimeout(r, 20));
    const ackedBefore = acked;
    const b = await connAsync(dir, ['--json', 'hub', 'backup', backup]);
    const ackedAfter = acked;
    await new Promise((r) => setTimeout(r, 300));
    pushing = false;
    await pusher;

    expect(b).toMatchObject({ code: 0, stderr: '' });
    const made = JSON.parse(b.stdout) as { file: string; schemaVersion: number; teams: number; events: number; bytes: number };
    expect(made).toMatchObject({ file: backup, schemaVersion: SQLITE_SCHEMA_VERSION, teams: 1, bytes: statSync(backup).size });
    // The hub kept committing while the backup ran.
    expect(ackedAfter).toBeGreaterThan(ackedBefore);
    expect(acked).toBeGreaterThan(ackedAfter);
    // One consistent snapshot: a dense prefix of the team's log, its head at its last seq.
    const saved = storedLog(backup);
    expect(saved.seqs).toEqual(Array.from({ length: saved.seqs.length }, (_, i) => i + 1));
    expect(saved.head).toBe(saved.seqs.length);
    expect(made.events).toBe(saved.head);
    expect(saved.head).toBeGreaterThanOrEqual(ackedBefore);
    expect(saved.head).toBeLessThan(acked);
    const served = await pullAll(s);
    expect(served.head).toBe(acked);
    expect(saved.ids).toEqual(served.events.slice(0, saved.head).map((e) => (e.event as ConnEvent).id));
    // A self-contained file, readable by the hub's OS account only.
    expect(modeOf(backup)).toBe('600');
    expect(readFileSync(backup)[18]).toBe(1); // rollback journal, not WAL: no -wal needed beside it
    expect(existsSync(`${backup}-wal`)).toBe(false);
    expect(readdirSync(work).filter((f) => f.includes('.partial-'))).toEqual([]);

    await stop(hub);
    const r = conn(dir, ['hub', 'restore', backup]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(
      `Restored the hub database in ${dir} from ${backup} (schema ${SQLITE_SCHEMA_VERSION}: 1 team, ${saved.head} events). The database it replaced is kept as ${path.join(dir, 'hub.sqlite.bak')}.\n`,
    );
    expect(storedLog(path.join(dir, 'hub.sqlite.bak')).head).toBe(acked);
    for (const f of ['hub.sqlite', 'hub.sqlite.bak']) expect([f, modeOf(path.join(dir, f))]).toEqual([f, '600']);
    expect(readdirSync(dir).sort()).toEqual(['hub.sqlite', 'hub.sqlite.bak']);

    // The restored hub: same head, same events, the same token, and it takes new commits.
    const again = await serve(dir);
    const s2 = await connect(again, token);
    const restored = await pullAll(s2);
    expect(restored.head).toBe(saved.head);
    expect(restored.events).toEqual(served.events.slice(0, saved.head));
    const next = makeEvent(inc, 'note', { text: 'after the restore' }, 'Ana');
    expect((await push(s2, [next])).accepted).toEqual([{ id: next.id, seq: saved.head + 1 }]);
    await stop(again);

    // On a new machine (an empty data dir) there is nothing to keep aside.
    const fresh = path.join(work, `fresh-${run}`);
    expect(JSON.parse(ok(fresh, ['--json', 'hub', 'restore', backup]))).toEqual({
      schemaVersion: SQLITE_SCHEMA_VERSION,
      teams: 1,
      events: saved.head,
      previous: null,
      dataDir: fresh,
      latest: SQLITE_SCHEMA_VERSION,
    });
    const third = await serve(fresh);
    expect((await pullAll(await connect(third, token))).events).toEqual(served.events.slice(0, saved.head));
  });

  it('refuses to restore while a hub serves from the data dir, and changes nothing', async () => {
    const dir = mkdtempSync(path.join(work, 'serving-'));
    const backup = path.join(work, `serving-${run}.sqlite`);
    const token = tokenOf(dir, 'Ana');
    ok(dir, ['hub', 'backup', backup]);
    const hub = await serve(dir);
    const s = await connect(hub, token);
    const inc = newId();
    await push(s, [declare(inc, 'Ana')]);
    const before = readdirSync(dir).sort();

    const r = conn(dir, ['hub', 'restore', backup]);
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr: `conn: the hub database in ${dir} is open in another process, most likely a hub serving from it: stop that hub (SIGTERM) and run conn hub restore again; nothing was changed\n`,
    });
    expect(readdirSync(dir).sort()).toEqual(before);
    // The hub never noticed: it still has its event and takes the next one.
    const next = makeEvent(inc, 'note', { text: 'still here' }, 'Ana');
    expect((await push(s, [next])).accepted).toEqual([{ id: next.id, seq: 2 }]);
    expect((await pullAll(s)).head).toBe(2);
  });

  it('refuses what is not a hub backup, saying what it is, and changes nothing', () => {
    const dir = mkdtempSync(path.join(work, 'not-a-backup-'));
    tokenOf(dir, 'Ana');
    const before = snapshot(dir);
    const notes = path.join(work, 'notes.txt');
    writeFileSync(notes, 'not a database at all, just some notes\n'.repeat(10));
    const cockpit = mkdtempSync(path.join(work, 'cockpit-'));
    ok(cockpit, ['profile', '--name', 'Ana']);
    const newer = path.join(work, `newer-${run}.sqlite`);
    ok(dir, ['hub', 'backup', newer]);
    const n = new Database(newer);
    n.pragma(`user_version = ${SQLITE_SCHEMA_VERSION + 1}`);
    n.close();
    const live = path.join(work, `live-${run}`);
    mkdirSync(live);
    copyFileSync(newer, path.join(live, 'copy.sqlite'));
    writeFileSync(path.join(live, 'copy.sqlite-wal'), '');

    const cases: Array<[string, string, string]> = [
      [notes, 'invalid-input', `${notes} is not a hub backup (not a SQLite database); nothing was changed: give a file made by conn hub backup`],
      [path.join(cockpit, 'conn.db'), 'invalid-input', `${path.join(cockpit, 'conn.db')} is not a hub backup (it has no teams, members tables); nothing was changed: give a file made by conn hub backup`],
      [newer, 'db-too-new', `${newer} is a hub database at schema ${SQLITE_SCHEMA_VERSION + 1}, newer than this Conn knows (${SQLITE_SCHEMA_VERSION}): upgrade conn to restore it; nothing was changed`],
      [
        path.join(live, 'copy.sqlite'),
        'invalid-input',
        `${path.join(live, 'copy.sqlite')} has a write-ahead log beside it (${path.join(live, 'copy.sqlite')}-wal), so it is a live database or was copied while one was open, and may be missing its newest commits; nothing was changed: make a backup with conn hub backup`,
      ],
      [path.join(work, 'nowhere.sqlite'), 'not-found', `there is no file ${path.join(work, 'nowhere.sqlite')} to restore`],
    ];
    for (const [file, code, message] of cases) {
      const r = conn(dir, ['--json', 'hub', 'restore', file]);
      expect([file, r.code, JSON.parse(r.stderr)]).toEqual([file, code === 'not-found' ? 3 : 1, { error: { code, message } }]);
      expect(snapshot(dir)).toEqual(before);
    }
  });

  it('keeps the database an earlier restore replaced: a second restore waits until it is moved', () => {
    const dir = mkdtempSync(path.join(work, 'twice-'));
    const backup = path.join(work, `twice-${run}.sqlite`);
    tokenOf(dir, 'Ana');
    ok(dir, ['hub', 'backup', backup]);
    ok(dir, ['hub', 'restore', backup]);
    const before = snapshot(dir);
    const r = conn(dir, ['hub', 'restore', backup]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `conn: ${path.join(dir, 'hub.sqlite.bak')} is in the way: it is the database an earlier restore replaced; move it somewhere safe and run conn hub restore again; nothing was changed\n`,
    );
    expect(snapshot(dir)).toEqual(before);
  });

  it('backup refuses to overwrite a file without --force, and never writes over the hub database', () => {
    const dir = mkdtempSync(path.join(work, 'overwrite-'));
    tokenOf(dir, 'Ana');
    const backup = path.join(work, `overwrite-${run}.sqlite`);
    writeFileSync(backup, 'precious');
    chmodSync(backup, 0o644);
    expect(conn(dir, ['hub', 'backup', backup])).toEqual({
      code: 1,
      stdout: '',
      stderr: `conn: ${backup} already exists and Conn does not overwrite it: choose a new name, or pass --force to replace it\n`,
    });
    expect(readFileSync(backup, 'utf8')).toBe('precious');
    ok(dir, ['hub', 'backup', backup, '--force']);
    expect(storedLog(backup).head).toBe(0);
    expect(modeOf(backup)).toBe('600');

    const own = path.join(dir, 'hub.sqlite');
    const before = readFileSync(own);
    expect(conn(dir, ['hub', 'backup', own, '--force'])).toMatchObject({ code: 1, stderr: `conn: ${own} is the hub's own database: back it up to a file outside the data dir\n` });
    expect(readFileSync(own).equals(before)).toBe(true);
  });
});
