import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * Times as a person reads them, from the real bin on a real data dir: in the profile's zone
 * (or --tz) with the zone's name.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const work = mkdtempSync(path.join(tmpdir(), 'conn-times-'));
const data = path.join(work, 'data');
afterAll(() => rmSync(work, { recursive: true, force: true }));
beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build.mjs', 'node'], { cwd: root, stdio: 'ignore' });
  mkdirSync(path.join(work, 'no-seed'));
  mkdirSync(path.join(work, 'runbooks'));
  writeFileSync(path.join(work, 'runbooks', 'failover.md'), '---\ntitle: Failover\n---\n- [ ] promote the replica\n- [ ] repoint the app\n');
}, 60_000);

function ok(args: string[]): string {
  const r = spawnSync(process.execPath, ['bin/conn.js', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, CONN_DATA_DIR: data, CONN_RUNBOOK_SEED_DIR: path.join(work, 'no-seed'), TZ: 'UTC' },
  });
  if (r.status !== 0) throw new Error(`conn ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** HH:MM of an instant on a Berlin clock, the way a person there reads it (GMT+1, or +2 in summer). */
const berlinClock = (iso: string) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));

describe('times in the reader\'s zone', () => {
  beforeAll(() => {
    ok(['profile', '--name', 'Ana', '--tz', 'Europe/Berlin']);
    ok(['runbook', 'import', path.join(work, 'runbooks')]);
  }, 60_000);

  it('prints who checked a runbook step and when in the profile\'s zone, or --tz; --json keeps UTC ISO', () => {
    const ref = ok(['declare', 'Primary database down', '--sev', '2']).trim();
    ok(['runbook', 'attach', ref, 'failover']);
    ok(['runbook', 'check', ref, 'promote']);
    const at = (JSON.parse(ok(['--json', 'runbook', 'steps', ref])) as Array<{ steps: Array<{ at: string | null }> }>)[0]!.steps[0]!.at!;
    expect(at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const berlin = ok(['runbook', 'steps', ref]);
    expect(berlin).toMatch(new RegExp(`1\\. \\[x\\] promote the replica  \\(promote-the-replica\\)  Ana, \\d{4}-\\d\\d-\\d\\d ${berlinClock(at)}:\\d\\d GMT\\+[12]\\n`));
    expect(berlin).toMatch(/2\. \[ \] repoint the app {2}\(repoint-the-app\)\n/);
    expect(berlin).not.toContain(at);
    expect(ok(['runbook', 'steps', ref, '--tz', 'Asia/Tokyo'])).toMatch(/Ana, \d{4}-\d\d-\d\d \d\d:\d\d:\d\d GMT\+9\n/);
  }, 60_000);
});
