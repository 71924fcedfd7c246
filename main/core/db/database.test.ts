import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, openDatabase } from './database.js';
import { LATEST_VERSION, MIGRATIONS, RESERVED_VERSIONS } from './migrations/index.js';

const root = mkdtempSync(path.join(tmpdir(), 'conn-db-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A database file at schema version k, built the way an older Conn left it. */
function fixtureAt(k: number): string {
  const file = path.join(root, `v${k}-${Math.random().toString(36).slice(2)}.db`);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  migrate(db, MIGRATIONS, k);
  // Data written by that version must survive the upgrade.
  if (k >= 1) db.prepare("INSERT INTO settings (key, value) VALUES ('written-at', ?)").run(JSON.stringify(k));
  db.close();
  return file;
}

describe('migrations', () => {
  it('are numbered 1..n without gaps but the versions reserved for other branches', () => {
    const numbers = Array.from({ length: LATEST_VERSION }, (_, i) => i + 1).filter((v) => !RESERVED_VERSIONS.includes(v));
    expect(MIGRATIONS.map((m) => m.version)).toEqual(numbers);
  });

  for (let k = 0; k < LATEST_VERSION; k++) {
    if (RESERVED_VERSIONS.includes(k)) continue;
    it(`upgrade a database at schema ${k} to ${LATEST_VERSION}`, () => {
      const file = fixtureAt(k);
      const db = openDatabase(file);
      try {
        expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'events'").get()).toEqual({ n: 1 });
        if (k >= 1) expect(db.prepare("SELECT value FROM settings WHERE key = 'written-at'").get()).toEqual({ value: String(k) });
      } finally {
        db.close();
      }
    });
  }

  it('refuse a database from a newer Conn and leave it byte-identical', () => {
    const file = fixtureAt(LATEST_VERSION);
    const db = new Database(file);
    db.pragma(`user_version = ${LATEST_VERSION + 1}`);
    db.close();
    const before = readFileSync(file);
    const files = readdirSync(path.dirname(file)).sort();
    expect(() => openDatabase(file)).toThrow(expect.objectContaining({ code: 'db-too-new', message: expect.stringMatching(/newer Conn.*update Conn/) }));
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(readdirSync(path.dirname(file)).sort()).toEqual(files);
  });

  it('roll a failing migration back, leaving the previous version intact', () => {
    const file = fixtureAt(LATEST_VERSION);
    const broken = [...MIGRATIONS, { version: LATEST_VERSION + 1, name: 'broken', up: (d: Database.Database) => d.exec('CREATE TABLE half (x); SELECT * FROM nowhere') }];
    expect(() => openDatabase(file, broken)).toThrow(/no such table/);
    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'half'").get()).toEqual({ n: 0 });
    db.close();
  });

  it('open in WAL mode with synchronous=FULL', () => {
    const db = openDatabase(path.join(root, 'fresh.db'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    db.close();
  });
});

describe('database file', () => {
  it.skipIf(process.platform === 'win32')('is readable by its owner only, with its WAL, new or found open to others', () => {
    const fresh = path.join(root, 'fresh.db');
    const db = openDatabase(fresh);
    db.prepare("INSERT INTO settings (key, value) VALUES ('k', 'v')").run();
    for (const f of [fresh, `${fresh}-wal`]) expect((statSync(f).mode & 0o777).toString(8)).toBe('600');
    db.close();

    const old = fixtureAt(LATEST_VERSION);
    chmodSync(old, 0o644);
    openDatabase(old).close();
    expect((statSync(old).mode & 0o777).toString(8)).toBe('600');
  });
});

/** What a refused open must leave exactly as it was: the file's bytes and mode, and its folder. */
function snapshot(file: string): { bytes: Buffer; mode: number; files: string[] } {
  return { bytes: readFileSync(file), mode: statSync(file).mode, files: readdirSync(path.dirname(file)).sort() };
}

describe('a file Conn must not write', () => {
  it.skipIf(process.platform === 'win32')('refuses a read-only database, saying how to make it writable, and changes nothing on disk', () => {
    const file = fixtureAt(LATEST_VERSION);
    chmodSync(file, 0o444);
    const before = snapshot(file);
    expect(() => openDatabase(file)).toThrow(expect.objectContaining({ code: 'unavailable', message: expect.stringContaining(`${file} is read-only`) }));
    expect(() => openDatabase(file)).toThrow(/make it writable \(chmod u\+w /);
    expect(snapshot(file)).toEqual(before);
  });

  it.skipIf(process.platform === 'win32')('refuses a database whose WAL is read-only, naming the WAL', () => {
    const file = fixtureAt(LATEST_VERSION);
    writeFileSync(`${file}-wal`, '');
    chmodSync(`${file}-wal`, 0o400);
    expect(() => openDatabase(file)).toThrow(expect.objectContaining({ code: 'unavailable', message: expect.stringContaining(`${file}-wal is read-only`) }));
    expect((statSync(`${file}-wal`).mode & 0o777).toString(8)).toBe('400');
  });

  it('reports a file of random bytes as not a Conn database, with its path, and leaves it as it was', () => {
    const file = path.join(root, 'random.db');
    const bytes = randomBytes(8192);
    // Where SQLite keeps user_version: a large value here once read as "from a newer Conn".
    bytes.writeUInt32BE(0xffff_fff0, 60);
    writeFileSync(file, bytes);
    const before = snapshot(file);
    expect(() => openDatabase(file)).toThrow(
      expect.objectContaining({ code: 'unavailable', message: expect.stringMatching(/ is not a Conn database \(SQLite: file is not a database\)/) }),
    );
    expect(() => openDatabase(file)).toThrow(expect.objectContaining({ message: expect.stringContaining(file) }));
    expect(() => openDatabase(file)).not.toThrow(/newer/);
    expect(snapshot(file)).toEqual(before);
  });

  it('reports a damaged file that starts like SQLite as not a Conn database', () => {
    const file = path.join(root, 'damaged.db');
    const bytes = randomBytes(8192);
    Buffer.from('SQLite format 3\0', 'latin1').copy(bytes, 0);
    bytes.writeUInt32BE(0, 60);
    writeFileSync(file, bytes);
    expect(() => openDatabase(file)).toThrow(expect.objectContaining({ code: 'unavailable', message: expect.stringContaining(`${file} is not a Conn database`) }));
  });
});
