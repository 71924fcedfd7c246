import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBin, conn, ok, serveHub, type HubProcess } from '../sync/conn-bin.js';

/*
 * `conn team` and `conn brief --for` through the real bin and a real `conn hub serve`: Ana in
 * Kolkata and Ben in New York sync once, and each sees the other's clock and hours.
 */

const work = mkdtempSync(path.join(tmpdir(), 'conn-team-cli-'));
let hub: HubProcess;
const [hubDir, ana, ben, solo] = ['hub', 'ana', 'ben', 'solo'].map((d) => path.join(work, d)) as [string, string, string, string];

function token(name: string): string {
  return (JSON.parse(ok(hubDir, ['--json', 'hub', 'invite', name, '--team', 'ops'])) as { token: string }).token;
}

beforeAll(async () => {
  buildBin();
  hub = await serveHub(hubDir);
  ok(ana, ['profile', '--name', 'Ana', '--tz', 'Asia/Kolkata', '--hours', '09:00-17:00']);
  ok(ben, ['profile', '--name', 'Ben', '--tz', 'America/New_York', '--hours', '08:00-16:00']);
  ok(ana, ['connect', hub.url, '--token', token('Ana')]);
  ok(ben, ['connect', hub.url, '--token', token('Ben')]);
  ok(ana, ['sync']);
  ok(ben, ['sync']);
  // A one-shot sync learns what the hub has then: Ana hears of Ben at her next one.
  ok(ana, ['sync']);
}, 90_000);

afterAll(async () => {
  hub.child.kill('SIGTERM');
  await hub.exited;
  rmSync(work, { recursive: true, force: true });
});

describe('conn team', () => {
  it("lists each person with their local time and whether they are inside their working hours", () => {
    // 04:30 UTC is 10:00 in Kolkata (working) and 23:30 the day before in New York (off).
    const out = ok(ben, ['team', '--at', '2026-12-01T04:30:00Z']);
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^Ben \(you\)\s+23:30\s+off\s+08:00-16:00\s+America\/New_York$/);
    expect(lines[1]).toMatch(/^Ana\s+10:00\s+working\s+09:00-17:00\s+Asia\/Kolkata$/);
    expect(lines).toHaveLength(2);
  });

  it('answers JSON for scripts', () => {
    const team = JSON.parse(ok(ana, ['--json', 'team', '--at', '2026-12-01T14:00:00Z'])) as Array<{ name: string; self: boolean; localTime: string; working: boolean }>;
    expect(team.map(({ name, self, localTime, working }) => ({ name, self, localTime, working }))).toEqual([
      { name: 'Ana', self: true, localTime: '19:30', working: false },
      { name: 'Ben', self: false, localTime: '09:00', working: true },
    ]);
  });

  it('without a hub lists only you, and says where teammates come from', () => {
    const out = ok(solo, ['team']);
    expect(out).toMatch(/\(you\)/);
    expect(out).toContain('no teammates known yet');
  });

  it('refuses a time it cannot read, naming it', () => {
    const r = conn(ben, ['team', '--at', 'teatime']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('cannot read the time "teatime"');
  });
});

describe('conn brief --for', () => {
  it("reads the brief in the teammate's own zone when their profile is known", () => {
    const ref = ok(ben, ['declare', 'Checkout 500s', '--sev', '2']).trim();
    expect(ok(ben, ['brief', ref, '--for', 'ana'])).toContain('times in Asia/Kolkata');
    // --tz still wins, and someone unknown gets the writer's own zone.
    expect(ok(ben, ['brief', ref, '--for', 'Ana', '--tz', 'Europe/Berlin'])).toContain('times in Europe/Berlin');
    expect(ok(ben, ['brief', ref, '--for', 'Zoe'])).toContain('times in America/New_York');
  });

  it("lists the teammate's actions under \"Assigned to you\" however their name is typed", () => {
    const ref = ok(ben, ['declare', 'Search is slow', '--sev', '3']).trim();
    ok(ben, ['action', ref, 'Check the index rebuild', '--owner', 'Ana']);
    expect(ok(ben, ['brief', ref, '--for', 'ana'])).toMatch(/## Assigned to you\n- \[ \] Check the index rebuild/);
  });
});

describe('conn handoff offer --to', () => {
  it("drafts the brief in the recipient's zone when their profile is known", () => {
    const ref = ok(ben, ['declare', 'Queue backs up', '--sev', '2']).trim();
    const offer = JSON.parse(ok(ben, ['--json', 'handoff', 'offer', ref, '--to', 'Ana'])) as { payload: { brief: string; to: string } };
    expect(offer.payload.to).toBe('Ana');
    expect(offer.payload.brief).toContain('Times in Asia/Kolkata.');
    // Someone unknown gets the writer's own zone, and nothing about the incident changes but the offer.
    expect((JSON.parse(ok(ben, ['--json', 'handoff', 'offer', ref, '--to', 'Zoe'])) as { payload: { brief: string } }).payload.brief).toContain('Times in America/New_York.');
  });
});
