import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runbooks } from '../../main/core/db/migrations/002-runbooks.js';
import { RunbookLibrary } from '../../main/core/store/runbook-library.js';

/** A real SQLite file in a fresh temp folder with the runbook tables, and a way to clean up. */
export function tempLibrary(now: () => Date = () => new Date('2026-11-28T12:00:00Z')): { lib: RunbookLibrary; db: Database.Database; dir: string; close: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'conn-runbooks-'));
  const db = new Database(path.join(dir, 'conn.db'));
  db.pragma('journal_mode = WAL');
  runbooks.up(db);
  return {
    lib: new RunbookLibrary(db, now),
    db,
    dir,
    close: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function runbookText(fm: Record<string, string>, body: string): string {
  const yaml = Object.entries(fm).map(([k, v]) => `${k}: ${v}`).join('\n');
  return `---\n${yaml}\n---\n${body}`;
}
