import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore } from '../../main/core/open.js';
import { newId } from '../../shared/domain/ids.js';
import { formatHlc } from '../../shared/sync/hlc.js';
import { buildBin } from '../sync/conn-bin.js';

/*
 * Times as a person reads them, from the real bin on a real data dir: in the profile's zone
 * (or --tz) with the zone's name, and an update that is owed reads as due or overdue.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const work = mkdtempSync(path.join(tmpdir(), 'conn-times-'));
const data = path.join(work, 'data');
afterAll(() => rmSync(work, { recursive: true, force: true }));
beforeAll(() => {
  buildBin();
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

  it('says when the next update is due, in the list and in show', () => {
    const { ref } = JSON.parse(ok(['--json', 'declare', 'Checkout returns 502', '--sev', '1'])) as { ref: string };
    const due = (JSON.parse(ok(['--json', 'show', ref])) as { nextUpdateDueAt: string }).nextUpdateDueAt;
    // SEV1: the first update is owed 5 minutes after declaring.
    expect(ok(['show', ref])).toMatch(new RegExp(`\\n {2}next update due ${berlinClock(due)} GMT\\+[12] \\(in [45]m\\)\\n`));
    expect(ok(['list'])).toMatch(new RegExp(`${ref} +SEV1 +triage .+ in [45]m +Checkout returns 502`));
    const row = (JSON.parse(ok(['--json', 'list'])) as Array<{ ref: string; nextUpdateDueAt: string | null }>).find((r) => r.ref === ref);
    expect(row?.nextUpdateDueAt).toBe(due);
  }, 60_000);

  it('says an update is overdue, and by how much, for an incident a teammate declared two hours ago', async () => {
    // Bo declared it two hours ago on his machine; it arrived here with a sync.
    const incidentId = newId();
    const core = openCore({ dataDir: data });
    core.events.ingest([{
      id: newId(), incidentId, hlc: formatHlc({ wall: Date.now() - 2 * 3_600_000, counter: 0 }), author: { id: 'p-bo', name: 'Bo' },
      kind: 'incident.declared', payload: { title: 'Search is slow', severity: 2, services: [] },
    }]);
    const ref = core.incidents.get(incidentId).ref;
    await core.close();
    // SEV2 owes its first update 15 minutes in: an hour and three quarters ago.
    expect(ok(['show', ref])).toMatch(/\n {2}update overdue by 1h 4[56]m\n/);
    expect(ok(['list'])).toMatch(new RegExp(`${ref} +SEV2 +triage .+ overdue by 1h 4[56]m +Search is slow`));
    // Resolved: nothing is owed any more.
    ok(['status', ref, 'resolved']);
    expect(ok(['show', ref])).not.toMatch(/update (due|overdue)/);
    expect(ok(['list', '--all'])).toMatch(new RegExp(`${ref} +SEV2 +resolved .+ — +Search is slow`));
  }, 60_000);
});
