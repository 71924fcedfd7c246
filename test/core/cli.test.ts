import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBin } from '../sync/conn-bin.js';

/*
 * The real `conn` bin, built the way `npm install` builds it, against a real database file.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const work = mkdtempSync(path.join(tmpdir(), 'conn-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
beforeAll(() => {
  buildBin();
}, 60_000);

function conn(dataDir: string, args: string[], input?: string) {
  const r = spawnSync(process.execPath, ['bin/conn.js', ...args], {
    cwd: root,
    input,
    encoding: 'utf8',
    env: { ...process.env, CONN_DATA_DIR: dataDir, TZ: 'UTC' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
function ok(dataDir: string, args: string[], input?: string): string {
  const r = conn(dataDir, args, input);
  if (r.code !== 0) throw new Error(`conn ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}
const json = <T>(dataDir: string, args: string[]) => JSON.parse(ok(dataDir, [...args, '--json'])) as T;

describe('conn, a responder journey', () => {
  const dir = path.join(work, 'journey');
  it('declares, logs, changes status and roles, and reads the timeline in another zone', () => {
    expect(json<{ name: string; timeZone: string }>(dir, ['profile', '--name', 'Ana', '--tz', 'Europe/Berlin', '--hours', '08:00-16:00'])).toMatchObject({ name: 'Ana', timeZone: 'Europe/Berlin' });
    const { id, ref } = json<{ id: string; ref: string }>(dir, ['declare', 'Checkout returns 502', '--sev', '1', '--service', 'checkout', '--service', 'payments']);
    expect(ref).toMatch(/^INC-[0-9A-Z]{6}$/);
    const note = json<{ id: string }>(dir, ['note', ref.toLowerCase(), 'error', 'rate', 'at', '40%']);
    ok(dir, ['decision', id, 'fail over to eu-west']);
    ok(dir, ['hypothesis', ref, 'bad deploy?']);
    ok(dir, ['action', ref, 'roll back 4.2.1', '--owner', 'Bo', '--due', '30m']);
    ok(dir, ['note', ref, '-'], 'pasted from stdin\nsecond line');
    ok(dir, ['status', ref, 'investigating']);
    ok(dir, ['role', ref, 'ic', 'Ana']);
    ok(dir, ['sev', ref, 'sev2']);
    ok(dir, ['redact', ref, note.id, '--reason', 'customer data']);

    // Global options work after the command, too.
    const state = JSON.parse(ok(dir, ['show', ref, '--json', '--data-dir', dir])) as Record<string, unknown>;
    expect(state).toMatchObject({ id, ref, title: 'Checkout returns 502', severity: 2, status: 'investigating', roles: { commander: { person: 'Ana' } } });
    expect(state['actions']).toMatchObject([{ text: 'roll back 4.2.1', owner: 'Bo', state: 'open' }]);

    const timeline = json<Array<{ id: string; kind: string; text: string; author: string; at: string; redacted: boolean }>>(dir, ['timeline', ref, '--tz', 'Asia/Tokyo']);
    expect(timeline.map((e) => e.kind)).toEqual([
      'incident.declared', 'note', 'decision', 'hypothesis', 'action.added', 'note', 'status.changed', 'role.assigned', 'severity.changed',
    ]);
    expect(timeline[1]).toMatchObject({ id: note.id, text: '', redacted: true, author: 'Ana' });
    expect(timeline.every((e) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(e.at))).toBe(true);

    const human = ok(dir, ['timeline', ref, '--tz', 'Asia/Tokyo']);
    expect(human).toContain('GMT+9');
    expect(human).toContain('fail over to eu-west');
    expect(human).not.toContain('40%');
    expect(ok(dir, ['list'])).toMatch(new RegExp(`${ref}\\s+SEV2\\s+investigating`));
  }, 180_000);

  it('prints help for every command, with the severity meanings', () => {
    const help = ok(dir, ['declare', '--help']);
    expect(help).toContain('SEV1: Critical');
    for (const cmd of ['profile', 'list', 'show', 'note', 'decision', 'hypothesis', 'action', 'status', 'sev', 'role', 'timeline', 'redact']) {
      expect(ok(dir, [cmd, '--help'])).toContain('Usage: conn ' + cmd);
    }
  }, 120_000);
});

describe('conn, given bad input', () => {
  const dir = path.join(work, 'bad');
  let ref = '';
  beforeAll(() => {
    ref = json<{ ref: string }>(dir, ['declare', 'Search is slow', '--sev', '3']).ref;
    ok(dir, ['note', ref, 'first note']);
  }, 60_000);

  /** Everything a command could change, as one string. */
  function dump(): string {
    const db = new Database(path.join(dir, 'conn.db'), { readonly: true });
    try {
      return JSON.stringify([
        db.prepare('SELECT * FROM events ORDER BY id').all(),
        db.prepare('SELECT * FROM incidents ORDER BY id').all(),
        db.prepare('SELECT * FROM timeline_items ORDER BY event_id').all(),
        db.prepare('SELECT * FROM settings ORDER BY key').all(),
      ]);
    } finally {
      db.close();
    }
  }

  const bigFile = path.join(work, 'big-note.txt');
  const cases: Array<[string, () => string[], RegExp, string?]> = [
    ['an unknown reference', () => ['note', 'INC-ZZZZZZ', 'hello'], /no incident INC-ZZZZZZ/],
    ['an unknown status', () => ['status', ref, 'panicking'], /unknown status "panicking": use one of triage, investigating/],
    ['severity 9 on declare', () => ['declare', 'Another', '--sev', '9'], /unknown severity "9": use 1 \(worst\) to 5/],
    ['severity 9 on sev', () => ['sev', ref, '9'], /unknown severity "9"/],
    ['an empty title', () => ['declare', '   '], /a title is required/],
    ['a 10 MB note on stdin', () => ['note', ref, '-'], /the limit is 50000/, 'y'.repeat(10 * 1024 * 1024)],
    ['a 10 MB note in a file', () => ['note', ref, '--file', bigFile], /the limit is 50000/],
    ['an invalid time zone in the profile', () => ['profile', '--tz', 'Mars/Olympus_Mons'], /unknown time zone "Mars\/Olympus_Mons"/],
    ['an invalid time zone for the timeline', () => ['timeline', ref, '--tz', 'Nowhere'], /unknown time zone "Nowhere"/],
    ['an unknown role name shape', () => ['role', ref, 'Chief Of Stuff', 'Bo'], /a role is lower-case letters/],
    ['a redaction of an entry that does not exist', () => ['redact', ref, '0190a5c4-0000-7000-8000-000000000bad', '--reason', 'x'], /no entry/],
  ];

  for (const [what, args, message, input] of cases) {
    it(`rejects ${what} with a one-line error, a non-zero exit and no change`, () => {
      writeFileSync(bigFile, 'z'.repeat(10 * 1024 * 1024));
      const before = dump();
      const r = conn(dir, args(), input);
      expect(r.code).not.toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^conn: /);
      expect(dump()).toBe(before);
    }, 60_000);
  }
});
