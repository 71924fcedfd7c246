import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { DB_FILE_NAME } from '../../main/core/open.js';
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

  it('reports MTTx by service and severity and counts the payments outage against its uptime', () => {
    const report = JSON.parse(ok(['report', '--days', '7', '--json'])) as {
      overall: { incidents: number; measures: { mitigate: { samples: number }; acknowledge: { samples: number; medianMs: number } } };
      byService: Array<{ key: string; incidents: number }>;
      bySeverity: Array<{ key: string }>;
      uptime: Array<{ service: string; incidents: number; uptimePercent: number; targetPercent: number }>;
    };
    expect(report.overall.incidents).toBe(1);
    expect(report.overall.measures.mitigate.samples).toBe(1);
    // Ana naming herself commander did not acknowledge it; moving it to investigating did.
    expect(report.overall.measures.acknowledge.samples).toBe(1);
    expect(report.byService).toEqual([expect.objectContaining({ key: 'payments', incidents: 1 })]);
    expect(report.bySeverity.map((g) => g.key)).toEqual(['SEV1']);
    expect(report.uptime).toEqual([expect.objectContaining({ service: 'payments', incidents: 1, targetPercent: 99.9 })]);
    expect(report.uptime[0]!.uptimePercent).toBeLessThan(100);
  });

  it('prints the report as a table, or as CSV for a spreadsheet, grouped as asked', () => {
    const table = ok(['report', '--days', '7', '--by', 'service']);
    expect(table).toContain('Reliability over the last 7 days');
    expect(table).toContain('payments — 1 incident, 1 still open\n');
    expect(table).not.toContain('SEV1 — ');
    expect(table).toMatch(/payments +\d+\.\d{3}% up, target 99\.9%/);
    const csv = ok(['report', '--days', '7', '--format', 'csv', '--by', 'severity']).trim().split('\r\n');
    expect(csv[0]).toBe('by,key,incidents,open,measure,samples,median_ms,p90_ms,mean_ms');
    expect(csv).toHaveLength(1 + 2 * 4);
    expect(csv[5]).toMatch(/^severity,SEV1,1,1,detect,1,0,0,0$/);
  });

  it("measures uptime against the default SLO without a hub; setting the team's needs one, and bad input is refused first, changing nothing", () => {
    expect(ok(['slo'])).toBe("SLO: Conn's default SLO: the team has not set one (this cockpit has not heard from a hub yet)\ntarget 99.9% for every service; SEV1-2 impact counts as down\n");
    const r = conn(['slo', '--target', '101']);
    expect(r).toMatchObject({ code: 1, stderr: 'conn: --target must be a percentage from 50 to 100, such as 99.9, not "101"\n' });
    const offline = conn(['slo', '--target', '99.5']);
    expect(offline.code).toBe(4);
    expect(offline.stderr).toContain("conn: the team's SLO is kept on the hub, and this cockpit is not connected to one");
    expect(JSON.parse(ok(['slo', '--json']))).toMatchObject({ source: 'defaults', slo: { targetPercent: 99.9 } });
  });

  it("still measures against this cockpit's own SLO from before it was the team's, and says so", () => {
    // What `conn slo --target 99.5 --service payments=99.99` wrote before the SLO was a team setting.
    const db = new Database(path.join(work, DB_FILE_NAME));
    db.prepare("INSERT INTO settings (key, value) VALUES ('reports.slo', ?)").run(JSON.stringify({ targetPercent: 99.5, downtimeSeverity: 2, services: { payments: 99.99 } }));
    db.close();
    expect(ok(['slo']).split('\n')[0]).toBe("SLO: this cockpit's own SLO: the team has not set one (this cockpit has not heard from a hub yet)");
    const report = JSON.parse(ok(['report', '--days', '7', '--json'])) as { uptime: Array<{ targetPercent: number }>; sloFrom: { source: string } };
    expect(report.uptime[0]!.targetPercent).toBe(99.99);
    expect(report.sloFrom.source).toBe('cockpit');
    expect(ok(['report', '--days', '7'])).toContain("  this cockpit's own SLO: the team has not set one");
  });

  it('refuses a grouping, a format or a period it does not know, with one line', () => {
    for (const [args, message] of [
      [['--by', 'team'], '--by must be service or severity, not "team"'],
      [['--format', 'xml'], '--format must be table, json or csv, not "xml"'],
      [['--days', '0'], '--days must be a whole number from 1 to 3660, not "0"'],
    ] as const) {
      const r = conn(['report', ...args]);
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toEqual([`conn: ${message}`]);
    }
  });
});

describe('milestones set by hand', () => {
  let ref = '';
  const milestones = () => (JSON.parse(ok(['show', ref, '--json'])) as { milestones: Record<string, string | null> }).milestones;
  beforeAll(() => {
    ref = ok(['declare', 'Search is slow', '--sev', '3', '--service', 'search']).trim();
  });

  it('back-dates detection (impact start follows it) and acknowledgement, which the report measures', () => {
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    ok(['milestone', ref, 'detected', new Date(minute - 40 * 60_000).toISOString()]);
    ok(['milestone', ref, 'acknowledged', new Date(minute - 30 * 60_000).toISOString()]);
    const m = milestones();
    expect(m['impactStartedAt']).toBe(m['detectedAt']);
    expect(Date.parse(m['acknowledgedAt']!) - Date.parse(m['detectedAt']!)).toBe(10 * 60_000);
    const report = JSON.parse(ok(['report', '--days', '1', '--json'])) as { bySeverity: Array<{ key: string; measures: { acknowledge: { medianMs: number } } }> };
    expect(report.bySeverity.find((g) => g.key === 'SEV3')!.measures.acknowledge.medianMs).toBe(10 * 60_000);
  });

  it('refuses a milestone out of order with a sentence naming the other, and changes nothing', () => {
    const before = milestones();
    const r = conn(['milestone', ref, 'detected', '5m ago']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^conn: detected at \d{4}-\d\d-\d\d \d\d:\d\d \S+ would come after acknowledged \(.+\): give a time at or before it, or set acknowledged first/);
    expect(milestones()).toEqual(before);
  });
});
