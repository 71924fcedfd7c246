import Database from 'better-sqlite3';
import { closeSync, createReadStream, createWriteStream, existsSync, mkdirSync, openSync, readSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ConnError } from '../../shared/domain/errors.js';
import { ownerOnlyDatabase } from './owner-only.js';
import { SQLITE_SCHEMA_VERSION } from './sqlite-migrations.js';
import { HUB_DB_FILE } from './sqlite.js';

/*
 * `conn hub backup` and `conn hub restore` for the embedded store. A backup is taken through
 * SQLite's online backup API, so it is a consistent snapshot even while a hub in another
 * process keeps committing; it is written beside its final name and renamed into place, so a
 * half-written backup never carries the name. A restore never runs under a serving hub and never
 * throws the old database away.
 */

/** What a backup or a restored database holds, for the one line the CLI prints. */
export interface HubDatabaseSummary {
  schemaVersion: number;
  teams: number;
  events: number;
}

function summarise(db: Database.Database): HubDatabaseSummary {
  const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { schemaVersion: db.pragma('user_version', { simple: true }) as number, teams: count('teams'), events: count('events') };
}

const sameFile = (a: string, b: string) => existsSync(a) && existsSync(b) && realpathSync(a) === realpathSync(b);

/** A name for work in progress beside `file`: hidden, and unique to this process. */
const partialBeside = (file: string) => path.join(path.dirname(file), `.${path.basename(file)}.partial-${process.pid}`);

/** Creates `file` empty and owner-only, failing if it exists: the copy never passes through a wider mode. */
function createOwnerOnly(file: string): void {
  closeSync(openSync(file, 'wx', 0o600));
}

export async function backupHubSqlite(dataDir: string, file: string, opts: { force?: boolean } = {}): Promise<HubDatabaseSummary & { file: string; bytes: number }> {
  const source = path.join(dataDir, HUB_DB_FILE);
  const target = path.resolve(file);
  if (!existsSync(source)) throw new ConnError('not-found', `there is no hub database (${HUB_DB_FILE}) in ${dataDir} to back up: check --data-dir`);
  if (!existsSync(path.dirname(target))) throw new ConnError('not-found', `the folder ${path.dirname(target)} does not exist: create it, or back up somewhere else`);
  if (sameFile(source, target) || [`${source}-wal`, `${source}-shm`].some((f) => sameFile(f, target))) {
    throw new ConnError('invalid-input', `${file} is the hub's own database: back it up to a file outside the data dir`);
  }
  if (existsSync(target) && !opts.force) throw new ConnError('conflict', `${file} already exists and Conn does not overwrite it: choose a new name, or pass --force to replace it`);

  const partial = partialBeside(target);
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    createOwnerOnly(partial);
    // After the first step, copy everything that is left in one step: a step reads one
    // snapshot, and a commit by the serving hub between steps would restart a page-by-page
    // copy, for ever on a busy hub. In WAL mode that one read never blocks the hub's writes.
    await db.backup(partial, { progress: ({ remainingPages }) => remainingPages });
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  } finally {
    db.close();
  }
  let summary: HubDatabaseSummary;
  const copy = new Database(partial, { fileMustExist: true });
  try {
    // A backup is one self-contained file: the hub turns WAL back on when it serves it again.
    copy.pragma('journal_mode = DELETE');
    const check = copy.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new ConnError('internal', `the backup failed SQLite's check (${String(check)}); nothing was written to ${file}: run it again`);
    summary = summarise(copy);
  } catch (err) {
    copy.close();
    rmSync(partial, { force: true });
    throw err;
  }
  copy.close();
  renameSync(partial, target);
  return { ...summary, file: target, bytes: statSync(target).size };
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

function startsAsSqlite(file: string): boolean {
  const head = Buffer.alloc(SQLITE_MAGIC.length);
  const fd = openSync(file, 'r');
  try {
    return readSync(fd, head, 0, head.length, 0) === head.length && head.equals(SQLITE_MAGIC);
  } finally {
    closeSync(fd);
  }
}

/** Checks a copy is a hub database this Conn can serve, and leaves it one self-contained file. */
function validateHubDatabase(copy: string, named: string): HubDatabaseSummary {
  const notAHub = (why: string) => new ConnError('invalid-input', `${named} is not a hub backup (${why}); nothing was changed: give a file made by conn hub backup`);
  if (!startsAsSqlite(copy)) throw notAHub('not a SQLite database');
  let db: Database.Database;
  try {
    db = new Database(copy, { fileMustExist: true });
  } catch (err) {
    throw notAHub((err as Error).message);
  }
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SQLITE_SCHEMA_VERSION) {
      throw new ConnError('db-too-new', `${named} is a hub database at schema ${version}, newer than this Conn knows (${SQLITE_SCHEMA_VERSION}): upgrade conn to restore it; nothing was changed`);
    }
    if (version < 1) throw notAHub('it has no hub schema');
    const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((r) => r.name));
    const missing = ['teams', 'members', 'events'].filter((t) => !tables.has(t));
    if (missing.length > 0) throw notAHub(`it has no ${missing.join(', ')} table${missing.length > 1 ? 's' : ''}`);
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw notAHub(`SQLite finds it damaged: ${String(check)}`);
    db.pragma('journal_mode = DELETE');
    return summarise(db);
  } catch (err) {
    if (err instanceof ConnError) throw err;
    throw notAHub((err as Error).message);
  } finally {
    db.close();
  }
}

/**
 * Whether another process has the hub database open, which a serving hub always does. Leaving
 * WAL mode needs every other connection gone (SQLite keeps a shared lock on the -shm file for
 * each), so asking for it without waiting answers exactly that, with no pid file to go stale,
 * and leaves the old database one self-contained file to keep as .bak.
 */
function refuseIfOpenElsewhere(file: string, dataDir: string): void {
  let db: Database.Database;
  try {
    db = new Database(file, { fileMustExist: true });
  } catch {
    return; // not a database any more (why one restores): nothing can be serving from it
  }
  try {
    db.pragma('busy_timeout = 0');
    const mode = db.pragma('journal_mode = DELETE', { simple: true });
    if (mode !== 'delete') throw new Error('still in WAL mode');
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === undefined || code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
      throw new ConnError(
        'conflict',
        `the hub database in ${dataDir} is open in another process, most likely a hub serving from it: stop that hub (SIGTERM) and run conn hub restore again; nothing was changed`,
      );
    }
    // A damaged database cannot be served either: restoring over it is the point.
  } finally {
    db.close();
  }
}

export async function restoreHubSqlite(dataDir: string, file: string): Promise<HubDatabaseSummary & { previous: string | null }> {
  const live = path.join(dataDir, HUB_DB_FILE);
  const bak = `${live}.bak`;
  if (!existsSync(file)) throw new ConnError('not-found', `there is no file ${file} to restore`);
  if (!statSync(file).isFile()) throw new ConnError('invalid-input', `${file} is not a file: give a file made by conn hub backup`);
  if (sameFile(file, live)) throw new ConnError('invalid-input', `${file} is the hub's own database: give a backup made by conn hub backup`);
  if (existsSync(`${file}-wal`)) {
    throw new ConnError(
      'invalid-input',
      `${file} has a write-ahead log beside it (${file}-wal), so it is a live database or was copied while one was open, and may be missing its newest commits; nothing was changed: make a backup with conn hub backup`,
    );
  }
  if (existsSync(live) && existsSync(bak)) {
    throw new ConnError('conflict', `${bak} is in the way: it is the database an earlier restore replaced; move it somewhere safe and run conn hub restore again; nothing was changed`);
  }
  mkdirSync(dataDir, { recursive: true });

  // Copied into the data dir first (owner-only from the start), so the backup itself is never
  // touched and the swap below is a rename on one file system.
  const incoming = partialBeside(live);
  let summary: HubDatabaseSummary;
  try {
    createOwnerOnly(incoming);
    await pipeline(createReadStream(file), createWriteStream(incoming, { flags: 'r+' }));
    summary = validateHubDatabase(incoming, file);
    if (existsSync(live)) refuseIfOpenElsewhere(live, dataDir);
  } catch (err) {
    for (const f of [incoming, `${incoming}-wal`, `${incoming}-shm`, `${incoming}-journal`]) rmSync(f, { force: true });
    throw err;
  }

  let previous: string | null = null;
  if (existsSync(live)) {
    renameSync(live, bak);
    // Left in WAL mode only if the check above could not open it; keep any log with its database.
    if (existsSync(`${live}-wal`)) renameSync(`${live}-wal`, `${bak}-wal`);
    rmSync(`${live}-shm`, { force: true });
    previous = bak;
  }
  renameSync(incoming, live);
  ownerOnlyDatabase(live);
  return { ...summary, previous };
}
