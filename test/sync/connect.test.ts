import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBin, conn, ok, serveHub, type HubProcess } from './conn-bin.js';

/*
 * `conn connect` through the real bin against a real `conn hub serve`: it checks the hub and
 * the token before it saves anything, and --offline saves without checking.
 */

const work = mkdtempSync(path.join(tmpdir(), 'conn-connect-'));
const hubDir = path.join(work, 'hub');
let hub: HubProcess;
let gone: string; // the address of a hub that has stopped: nothing answers there

beforeAll(async () => {
  buildBin();
  hub = await serveHub(hubDir);
  const stopped = await serveHub(path.join(work, 'stopped-hub'));
  gone = stopped.url;
  stopped.child.kill('SIGTERM');
  await stopped.exited;
}, 60_000);
afterAll(async () => {
  hub.child.kill('SIGKILL');
  await hub.exited;
  rmSync(work, { recursive: true, force: true });
});

function invite(name: string, team = 'payments', role = 'member'): string {
  return (JSON.parse(ok(hubDir, ['--json', 'hub', 'invite', name, '--team', team, '--role', role])) as { token: string }).token;
}

/** The hub this data dir is saved to sync with, and whether a token file is there. */
function saved(dataDir: string): { url: string | null; token: boolean } {
  const file = path.join(dataDir, 'conn.db');
  if (!existsSync(file)) return { url: null, token: existsSync(path.join(dataDir, 'hub-token')) };
  const db = new Database(file, { readonly: true });
  try {
    const row = db.prepare("SELECT value FROM sync_state WHERE key = 'hub.url'").get() as { value: string } | undefined;
    return { url: row?.value ?? null, token: existsSync(path.join(dataDir, 'hub-token')) };
  } finally {
    db.close();
  }
}

describe('conn connect', () => {
  it('prints the team and member the hub confirmed, and saves the connection', () => {
    const dir = path.join(work, 'ana');
    const token = invite('Ana Lima', 'payments', 'admin');
    expect(ok(dir, ['connect', hub.url, '--token', token])).toBe(`Connected to ${hub.url} as Ana Lima (admin) in team "payments". Run \`conn sync\` to push and pull.\n`);
    expect(saved(dir)).toEqual({ url: hub.url, token: true });
    expect(JSON.parse(ok(dir, ['--json', 'connect', hub.url, '--token', token]))).toEqual({
      hub: hub.url, checked: true, team: 'payments', member: { name: 'Ana Lima', role: 'admin' },
    });
    expect(ok(dir, ['sync'])).toMatch(/^Synced with /);
  }, 60_000);

  it('refuses an unreachable hub with exit 4 and the reason, and saves nothing', () => {
    const dir = path.join(work, 'unreachable');
    const r = conn(dir, ['connect', gone, '--token', invite('Uma')]);
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^conn: cannot reach the hub at ${gone} \\(.+\\)\\. Nothing was saved: check the address, or save it anyway with --offline\\n$`));
    expect(saved(dir)).toEqual({ url: null, token: false });
    const json = conn(dir, ['--json', 'connect', gone, '--token', invite('Uma')]);
    expect(json.code).toBe(4);
    expect(JSON.parse(json.stderr)).toMatchObject({ error: { code: 'unavailable', message: expect.stringMatching(/^cannot reach the hub/) } });
  }, 60_000);

  it('refuses a token the hub does not know with exit 5 and the hub\'s sentence, keeping the hub it had', () => {
    const dir = path.join(work, 'typo');
    const good = invite('Tom');
    ok(dir, ['connect', hub.url, '--token', good]);
    // Nothing answers on port 1: refused, and the saved connection stays.
    const r = conn(dir, ['connect', 'http://127.0.0.1:1', '--token', 'x']);
    expect(r.code).toBe(4);
    const typo = conn(dir, ['connect', hub.url, '--token', `${good}x`]);
    expect(typo.code).toBe(5);
    expect(typo.stderr).toBe('conn: the hub does not recognise this token: ask a team admin for a new invite (`conn hub invite`). Nothing was saved\n');
    const json = conn(dir, ['connect', hub.url, '--token', `${good}x`, '--json']);
    expect(json.code).toBe(5);
    expect(JSON.parse(json.stderr)).toEqual({ error: { code: 'unauthenticated', message: expect.stringMatching(/^the hub does not recognise this token/) } });
    // The good connection is still the saved one, and still works.
    expect(saved(dir).url).toBe(hub.url);
    expect(ok(dir, ['sync'])).toMatch(/^Synced with /);
  }, 60_000);

  it('refuses a revoked token with exit 5 and says it was revoked', () => {
    const dir = path.join(work, 'revoked');
    const token = invite('Rita');
    ok(hubDir, ['hub', 'revoke', 'Rita', '--team', 'payments']);
    const r = conn(dir, ['connect', hub.url, '--token', token]);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/^conn: the token of Rita in team "payments" was revoked: ask a team admin for a new invite\. Nothing was saved\n$/);
    expect(saved(dir)).toEqual({ url: null, token: false });
  }, 60_000);

  it('saves without checking with --offline and says so; the next sync finds the hub down (exit 4)', () => {
    const dir = path.join(work, 'plane');
    const token = invite('Otto');
    expect(ok(dir, ['connect', gone, '--token', token, '--offline'])).toBe(`Saved ${gone} without checking it (--offline). \`conn sync\` will check the hub and the token.\n`);
    expect(saved(dir)).toEqual({ url: gone, token: true });
    expect(JSON.parse(ok(dir, ['--json', 'connect', gone, '--token', token, '--offline']))).toEqual({ hub: gone, checked: false });
    const sync = conn(dir, ['--json', 'sync', '--timeout', '3']);
    expect(sync.code).toBe(4);
    expect(JSON.parse(sync.stderr.trim().split('\n').pop()!)).toMatchObject({ error: { code: 'unavailable', message: expect.stringMatching(/cannot reach the hub/) } });
  }, 60_000);
});
