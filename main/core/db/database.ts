import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { ConnError } from '../../../shared/domain/errors.js';
import { MIGRATIONS } from './migrations/index.js';
import type { Migration } from './migrations/migration.js';

export type Db = Database.Database;

/**
 * Opens (creating if needed) the cockpit database and brings its schema up to date.
 *
 * WAL with synchronous=FULL: a commit is fsynced before the call returns, so an event the user
 * was told is saved survives kill -9 and power loss. busy_timeout lets the CLI and the desktop
 * app write the same file without failing on each other's short transactions.
 */
export function openDatabase(file: string, migrations: readonly Migration[] = MIGRATIONS): Db {
  // Check the file through plain reads first: one Conn cannot or must not write (not a
  // database, read-only, from a newer Conn) must not be touched at all, not even its mode or
  // journal.
  if (existsSync(file)) {
    refuseIfNotADatabase(file);
    refuseIfReadOnly(file);
    refuseIfTooNew(file, latestVersion(migrations));
  }
  ownerOnly(file);
  let db: Db;
  try {
    db = new Database(file);
  } catch (err) {
    throw notADatabaseOr(file, err);
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    // A redacted text must not linger in freed pages of the file.
    db.pragma('secure_delete = ON');
    migrate(db, migrations);
    return db;
  } catch (err) {
    db.close();
    throw notADatabaseOr(file, err);
  }
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

const notADatabase = (file: string) =>
  new ConnError('unavailable', `${file} is not a Conn database (SQLite: file is not a database); Conn left it as it is: move it aside, or use another data dir`);

/** SQLite finds some damage only once it reads past the header; it says so with SQLITE_NOTADB. */
function notADatabaseOr(file: string, err: unknown): unknown {
  return (err as { code?: unknown }).code === 'SQLITE_NOTADB' ? notADatabase(file) : err;
}

/** An empty file is a new database to SQLite; anything else must start with its magic string. */
function refuseIfNotADatabase(file: string): void {
  const head = readHeader(file);
  if (head.length > 0 && !head.subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC)) throw notADatabase(file);
}

/**
 * A database (or its WAL) without the owner's write bit was made read-only on purpose, by the
 * person or a backup tool: opening it would mean undoing that, so say how instead.
 */
function refuseIfReadOnly(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    let mode: number;
    try {
      mode = statSync(f).mode;
    } catch {
      continue; // absent -wal/-shm
    }
    if ((mode & 0o200) === 0) {
      throw new ConnError('unavailable', `the database file ${f} is read-only, so Conn cannot save to it and changed nothing: make it writable (chmod u+w "${f}") and try again`);
    }
  }
}

/** The 100-byte SQLite header, or less for a shorter file. */
function readHeader(file: string): Buffer {
  const header = Buffer.alloc(100);
  const fd = openSync(file, 'r');
  try {
    return header.subarray(0, readSync(fd, header, 0, 100, 0));
  } finally {
    closeSync(fd);
  }
}

/**
 * The timeline holds whatever responders typed, credentials pasted before a redaction included:
 * only this OS account may read the file. SQLite creates -wal and -shm with the database
 * file's permissions, so making the file 0600 first covers them too. (On Windows the mode is
 * ignored; the profile folder's ACL does this job.)
 */
function ownerOnly(file: string): void {
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      if ((statSync(f).mode & 0o077) !== 0) chmodSync(f, 0o600);
    } catch {
      // absent -wal/-shm, or a file we do not own: SQLite reports what matters when it opens
    }
  }
}

function refuseIfTooNew(file: string, known: number): void {
  const tooNew = (version: number) =>
    new ConnError('db-too-new', `the database at ${file} was written by a newer Conn (schema ${version}, this one knows ${known}); update Conn to open it`);
  // user_version is bytes 60-63 of the header: reading it with plain fs touches nothing, not
  // even the -wal/-shm files a read-only SQLite handle would create.
  const header = readHeader(file);
  if (header.length < 64) return; // empty: a new database
  if (header.readUInt32BE(60) > known) throw tooNew(header.readUInt32BE(60));
  // A newer version may still sit in an uncheckpointed WAL: ask SQLite, read-only.
  if (!existsSync(`${file}-wal`)) return;
  const ro = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const version = ro.pragma('user_version', { simple: true }) as number;
    if (version > known) throw tooNew(version);
  } catch (err) {
    throw notADatabaseOr(file, err);
  } finally {
    ro.close();
  }
}

/** The schema version a list of migrations brings a database to: its last one's. */
export function latestVersion(migrations: readonly Migration[]): number {
  return migrations[migrations.length - 1]?.version ?? 0;
}

/** Applies the migrations above the database's user_version, each in its own transaction. */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS, upTo = latestVersion(migrations)): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > latestVersion(migrations)) {
    throw new ConnError('db-too-new', `the database is at schema ${current}, newer than this Conn knows (${latestVersion(migrations)}); update Conn`);
  }
  for (const m of migrations) {
    if (m.version <= current || m.version > upTo) continue;
    // IMMEDIATE: two processes starting at once must not both run the same migration.
    db.transaction(() => {
      const now = db.pragma('user_version', { simple: true }) as number;
      if (now >= m.version) return;
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
}
