import { chmodSync, closeSync, existsSync, openSync, statSync } from 'node:fs';

/**
 * hub.sqlite holds every team's timelines and the members' token hashes: only the OS account
 * running the hub may read it. SQLite creates -wal and -shm with the database file's mode, so
 * creating the file 0600 before SQLite opens it covers them too; files found open to others
 * lose those bits and nothing else. The cockpit's database does the same
 * (main/core/db/database.ts), which server/ may not import. On Windows the mode is ignored.
 */
export function ownerOnlyDatabase(file: string): void {
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      const mode = statSync(f).mode & 0o777;
      if ((mode & 0o077) !== 0) chmodSync(f, mode & 0o700);
    } catch {
      // absent -wal/-shm, or a file we do not own: SQLite reports what matters when it opens
    }
  }
}
