import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBin, connInDir } from '../sync/conn-bin.js';

/*
 * `conn brief` and `conn report` through the real bin (`conn retro`: retro.test.ts): what the teammate who was
 * asleep reads first, and what the team reads after the incident.
 */
const work = mkdtempSync(path.join(tmpdir(), 'conn-reports-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
beforeAll(() => buildBin(), 60_000);

const conn = (args: string[]) => connInDir(work, args);
function ok(args: string[]): string {
  const r = conn(args);
  if (r.code !== 0) throw new Error(`conn ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

describe('reading an incident after the fact', () => {
  let ref = '';
  beforeAll(() => {
    ok(['profile', '--name', 'Ana', '--tz', 'Europe/Berlin']);
    ref = ok(['declare', 'Payments API 503s', '--sev', '1', '--service', 'payments']).trim();
    ok(['role', ref, 'commander', 'Ana']);
    ok(['status', ref, 'investigating']);
    ok(['decision', ref, 'Fail over the primary database']);
    ok(['action', ref, 'Write up the failover gap', '--owner', 'Kenji']);
    ok(['action', ref, 'Check replica lag alerts', '--owner', 'Bo']);
    ok(['status', ref, 'monitoring']);
  });

  it('briefs a teammate in Tokyo in their own time zone, with only their actions', () => {
    const brief = ok(['brief', ref, '--for', 'Kenji', '--tz', 'Asia/Tokyo']);
    expect(brief).toContain('times in Asia/Tokyo');
    expect(brief).toMatch(/GMT\+9 Ana: Fail over the primary database/);
    expect(brief).toContain('- [ ] Write up the failover gap');
    expect(brief).not.toContain('Check replica lag alerts');
    expect(brief).toContain('- commander: Ana');
  });

  it('refuses a --since it cannot read, with a one-line error', () => {
    const r = conn(['brief', ref, '--since', 'yesterday-ish']);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('cannot read "yesterday-ish" as a time');
  });

  it('reports MTTx and counts the payments outage against its uptime', () => {
    const report = JSON.parse(ok(['report', '--days', '7', '--json'])) as {
      mttx: { incidents: number; samples: { mitigate: number } };
      uptime: Array<{ service: string; incidents: number; uptimePercent: number }>;
    };
    expect(report.mttx.incidents).toBe(1);
    expect(report.mttx.samples.mitigate).toBe(1);
    expect(report.uptime).toEqual([expect.objectContaining({ service: 'payments', incidents: 1 })]);
    expect(report.uptime[0]!.uptimePercent).toBeLessThan(100);
  });
});
