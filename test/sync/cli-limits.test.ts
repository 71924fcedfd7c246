import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore } from '../../main/core/open.js';
import { buildBin, conn, ok, serveHub, type HubProcess } from './conn-bin.js';

/* `conn hub serve`'s limit flags and `conn sync` against them, through the real bin and processes. */

const work = mkdtempSync(path.join(tmpdir(), 'conn-cli-limits-'));
const hubs: HubProcess[] = [];

beforeAll(() => buildBin(), 60_000);
afterAll(async () => {
  for (const h of hubs) {
    h.child.kill('SIGKILL');
    await h.exited;
  }
  rmSync(work, { recursive: true, force: true });
});

describe('conn hub serve with push limits', () => {
  it('refuses a limit that is not a number or a size, naming the flag', () => {
    const dir = path.join(work, 'bad-flags');
    const rate = conn(dir, ['hub', 'serve', '--port', '0', '--member-rate', 'fast']);
    expect(rate.code).toBe(1);
    expect(rate.stderr).toMatch(/--member-rate fast is not a number of 0 or more/);
    const size = conn(dir, ['hub', 'serve', '--port', '0', '--team-bytes-per-day', '20XB']);
    expect(size.code).toBe(1);
    expect(size.stderr).toMatch(/--team-bytes-per-day 20XB is not a size: give bytes or a number with KiB, MiB or GiB/);
  });

  it('refuses a recording quota or retention it cannot use, naming the flag, and serves with good ones', async () => {
    const dir = path.join(work, 'recording-flags');
    const quota = conn(dir, ['hub', 'serve', '--port', '0', '--recording-quota', '100KiB']);
    expect(quota.code).toBe(1);
    expect(quota.stderr).toMatch(/--recording-quota 100KiB is less than 1 MiB: a minute of call audio would not fit/);
    const days = conn(dir, ['hub', 'serve', '--port', '0', '--recording-retention', '0']);
    expect(days.code).toBe(1);
    expect(days.stderr).toMatch(/--recording-retention 0 is not a number of days between 0 and 3650/);
    const hub = await serveHub(dir, 0, {}, ['--recording-quota', '500MiB', '--recording-retention', '7']);
    hubs.push(hub);
    expect(hub.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('paces `conn sync` of 600 events through --member-rate 200 --member-burst 100: it says so, waits, and finishes', async () => {
    const hubDir = path.join(work, 'hub');
    const token = (JSON.parse(ok(hubDir, ['--json', 'hub', 'invite', 'Kim', '--team', 'ops'])) as { token: string }).token;
    const hub = await serveHub(hubDir, 0, {}, ['--member-rate', '200', '--member-burst', '100', '--team-bytes-per-day', '64MiB']);
    hubs.push(hub);
    const a = path.join(work, 'kim');
    ok(a, ['connect', hub.url, '--token', token]);
    ok(a, ['profile', '--name', 'Kim']);
    const { id } = JSON.parse(ok(a, ['--json', 'declare', 'Slow hub', '--sev', '3'])) as { id: string };
    const core = openCore({ dataDir: a });
    core.db.transaction(() => {
      for (let i = 0; i < 599; i++) core.events.appendLocal(id, 'note', { text: `note ${i}` });
    })();
    await core.close();

    const run = conn(a, ['--json', 'sync']);
    expect(run.stderr).toMatch(/^conn: the hub asked us to slow down; retrying in \d+s: Kim is pushing faster than this hub allows one member \(200 events\/s, bursts of 100\)/m);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ pushed: 600, pending: 0, cursor: 600 });
  }, 60_000);
});
