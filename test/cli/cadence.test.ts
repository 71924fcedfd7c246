import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type HubFixture } from '../hub/hub-fixture.js';
import { buildBin, conn, connAsync, ok, type Run } from '../sync/conn-bin.js';

/*
 * The team's update cadence from the terminal, through the real bin: the operator sets it on the
 * hub's machine (`conn hub cadence`), a cockpit shows the one it counts down on and where it
 * comes from (`conn cadence`), `conn sync` brings it, `show` and `list` count down on it, and an
 * admin changes it through the hub while a member cannot. Bad input is one line and changes nothing.
 */

const work = mkdtempSync(path.join(tmpdir(), 'conn-cadence-cli-'));
const hubDir = path.join(work, 'hub');
const anaDir = path.join(work, 'ana');
const boDir = path.join(work, 'bo');
let fx: HubFixture;

/** A command that talks to the hub: run without blocking this process, which serves the hub. */
async function okAsync(dir: string, args: string[]): Promise<string> {
  const r: Run = await connAsync(dir, args);
  if (r.code !== 0) throw new Error(`conn ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

beforeAll(async () => {
  buildBin();
  fx = await startHub({ dir: hubDir });
  ok(anaDir, ['profile', '--name', 'Ana', '--tz', 'UTC']);
  ok(boDir, ['profile', '--name', 'Bo', '--tz', 'UTC']);
}, 120_000);

afterAll(async () => {
  await fx.dispose();
  rmSync(work, { recursive: true, force: true });
});

const DEFAULT_LINES = [
  '  SEV1  first within 5m, then every 20m',
  '  SEV2  first within 15m, then every 30m',
  '  SEV3  first within 30m, then every 1h',
  '  SEV4  first within 1h, then every 4h',
  '  SEV5  none owed',
];

describe('conn hub cadence (on the hub machine)', () => {
  it('shows the defaults for a team that set none, sets some severities, and keeps the others', async () => {
    await fx.invite('payments', 'Ana', 'admin');
    expect(ok(hubDir, ['hub', 'cadence', 'show', '--team', 'payments'])).toBe(`Stakeholder-update cadence: Conn's defaults (team "payments" has set none)\n${DEFAULT_LINES.join('\n')}\n`);
    const out = ok(hubDir, ['hub', 'cadence', 'set', '--team', 'payments', 'SEV2=10m', 'SEV5=1h']);
    expect(out).toContain('Changed team "payments"\'s cadence.');
    expect(out).toContain('  SEV2  every 10m  (default: first within 15m, then every 30m)\n');
    expect(out).toContain('  SEV5  every 1h  (default: none owed)\n');
    expect(out).toContain(DEFAULT_LINES[0]);
    const shown = JSON.parse(ok(hubDir, ['--json', 'hub', 'cadence', 'show', '--team', 'payments'])) as { setBy: string; effective: Record<string, unknown> };
    expect(shown.setBy).toBe('hub operator');
    expect(shown.effective['2']).toEqual({ firstMin: 10, everyMin: 10 });
  });

  it.each([
    [['SEV2=0m'], 'conn: SEV2: 0m is out of range: an update cadence must be from 1m to 24h\n'],
    [['SEV2=25h'], 'conn: SEV2: 25h is out of range: an update cadence must be from 1m to 24h\n'],
    [['SEV9=10m'], 'conn: "SEV9=10m": unknown severity "SEV9": use SEV1 to SEV5\n'],
    [['SEV2=10'], 'conn: SEV2: "10" has no unit: write 10m or 10h\n'],
  ])('refuses %j with one line and changes nothing', (entries, stderr) => {
    const before = ok(hubDir, ['--json', 'hub', 'cadence', 'show', '--team', 'payments']);
    expect(conn(hubDir, ['hub', 'cadence', 'set', '--team', 'payments', ...entries])).toEqual({ code: 1, stdout: '', stderr });
    expect(ok(hubDir, ['--json', 'hub', 'cadence', 'show', '--team', 'payments'])).toBe(before);
  });

  it('says when there is no such team', () => {
    expect(conn(hubDir, ['hub', 'cadence', 'set', '--team', 'nobody', 'SEV1=10m'])).toMatchObject({ code: 3, stderr: expect.stringContaining('there is no team "nobody" on this hub') as unknown });
  });
});

describe('conn cadence (on a cockpit)', () => {
  it('shows the defaults before the cockpit has heard from a hub', () => {
    expect(ok(anaDir, ['cadence'])).toBe(`Stakeholder-update cadence: Conn's defaults: this cockpit has not heard from a hub yet\n${DEFAULT_LINES.join('\n')}\n`);
  });

  it('gets the team cadence with conn sync, and show and list count down on it, offline too', async () => {
    ok(anaDir, ['connect', fx.hub.url, '--token', await fx.invite('payments', 'Ana', 'admin'), '--offline']);
    const ref = ok(anaDir, ['declare', 'Checkout returns 502', '--sev', '2']).trim();
    await okAsync(anaDir, ['sync']);
    const text = ok(anaDir, ['cadence']);
    expect(text).toMatch(/^Stakeholder-update cadence: the team's setting, set by hub operator at \d{4}-\d\d-\d\d \d\d:\d\d UTC; last checked with the hub at /);
    expect(text).toContain('  SEV2  every 10m  (default: first within 15m, then every 30m)');

    const shown = JSON.parse(ok(anaDir, ['--json', 'show', ref])) as { declaredAt: string; nextUpdateDueAt: string };
    expect(Date.parse(shown.nextUpdateDueAt) - Date.parse(shown.declaredAt)).toBe(10 * 60_000);
    const row = (JSON.parse(ok(anaDir, ['--json', 'list'])) as Array<{ ref: string; nextUpdateDueAt: string }>).find((r) => r.ref === ref);
    expect(row?.nextUpdateDueAt).toBe(shown.nextUpdateDueAt);
    // Each `conn` command runs without the hub: the countdown above was already offline.
  });

  it('lets an admin change it through the hub, and refuses a member with the hub\'s reason', async () => {
    const out = await okAsync(anaDir, ['cadence', 'set', 'SEV1=10m/30m']);
    expect(out).toContain('Changed the team\'s cadence.');
    expect(out).toContain('  SEV1  first within 10m, then every 30m  (default: first within 5m, then every 20m)');
    expect(ok(anaDir, ['cadence'])).toContain('set by Ana');

    ok(boDir, ['connect', fx.hub.url, '--token', await fx.invite('payments', 'Bo', 'member'), '--offline']);
    expect(await connAsync(boDir, ['cadence', 'set', 'SEV1=30m'])).toEqual({
      code: 5,
      stdout: '',
      stderr: 'conn: only a team admin may change team "payments"\'s update cadence, and Bo is a member: ask an admin\n',
    });
    expect((await fx.store.cadence.cadence('payments')).cadence?.[1]).toEqual({ firstMin: 10, everyMin: 30 });
  });

  it('refuses bad input before asking anyone, and needs a hub to change anything', () => {
    expect(conn(anaDir, ['cadence', 'set', 'SEV1=5m/10m/20m'])).toEqual({ code: 1, stdout: '', stderr: 'conn: "SEV1=5m/10m/20m": write one interval (SEV1=15m) or first/then every (SEV1=5m/20m)\n' });
    const solo = path.join(work, 'solo');
    const r = conn(solo, ['cadence', 'reset']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("the team's update cadence is kept on the hub, and this cockpit is not connected to one");
  });
});
