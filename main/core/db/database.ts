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
  // Check the version through a read-only handle first: a database from a newer Conn must not
  // be touched at all, not even by switching its journal mode.
  if (existsSync(file)) refuseIfTooNew(file, migrations.length);
  ownerOnly(file);
  const db = new Database(file);
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
    throw err;
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
  const header = Buffer.alloc(100);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, header, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  if (header.readUInt32BE(60) > known) throw tooNew(header.readUInt32BE(60));
  // A newer version may still sit in an uncheckpointed WAL: ask SQLite, read-only.
  if (!existsSync(`${file}-wal`)) return;
  const ro = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const version = ro.pragma('user_version', { simple: true }) as number;
    if (version > known) throw tooNew(version);
  } finally {
    ro.close();
  }
}

/** Applies the migrations above the database's user_version, each in its own transaction. */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS, upTo = migrations.length): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new ConnError('db-too-new', `the database is at schema ${current}, newer than this Conn knows (${migrations.length}); update Conn`);
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
