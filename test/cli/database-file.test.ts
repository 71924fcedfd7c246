import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBin, conn, ok } from '../sync/conn-bin.js';

/*
 * The real `conn` bin given a database file it must not write: it says why, with the path and
 * what to do, exits 4 (unavailable), and leaves the file and its folder exactly as they were.
 */

const work = mkdtempSync(path.join(tmpdir(), 'conn-db-file-'));
beforeAll(() => buildBin(), 60_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

function onDisk(dataDir: string): { files: string[]; bytes: Buffer; mode: number } {
  const db = path.join(dataDir, 'conn.db');
  return { files: readdirSync(dataDir).sort(), bytes: readFileSync(db), mode: statSync(db).mode };
}

describe('conn on a database file it must not write', () => {
  it.skipIf(process.platform === 'win32')('refuses a read-only conn.db, says how to make it writable, and leaves it read-only', () => {
    const dataDir = path.join(work, 'read-only');
    ok(dataDir, ['declare', 'Checkout returns 502']);
    const db = path.join(dataDir, 'conn.db');
    chmodSync(db, 0o400);
    const before = onDisk(dataDir);

    const r = conn(dataDir, ['list']);
    expect(r.code).toBe(4);
    expect(r.stderr).toBe(`conn: the database file ${db} is read-only, so Conn cannot save to it and changed nothing: make it writable (chmod u+w "${db}") and try again\n`);
    expect(onDisk(dataDir)).toEqual(before);
    expect((statSync(db).mode & 0o777).toString(8)).toBe('400');
  });

  it('reports a conn.db of random bytes as not a Conn database, naming it, and leaves it as it was', () => {
    const dataDir = path.join(work, 'random');
    mkdirSync(dataDir);
    const db = path.join(dataDir, 'conn.db');
    const bytes = randomBytes(16_384);
    bytes.writeUInt32BE(0x7fff_ffff, 60); // where SQLite keeps user_version: read as "newer Conn" before
    writeFileSync(db, bytes, { mode: 0o600 });
    const before = onDisk(dataDir);

    const r = conn(dataDir, ['list']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`conn: ${db} is not a Conn database (SQLite: file is not a database)`);
    expect(r.stderr).not.toMatch(/newer/);
    expect(onDisk(dataDir)).toEqual(before);
  });
});
