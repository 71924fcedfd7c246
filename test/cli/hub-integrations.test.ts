import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBin, conn, ok, serveHub, type HubProcess } from '../sync/conn-bin.js';

/*
 * `conn hub integration …` through the real bin, beside a real `conn hub serve` process, and the
 * issue's check as a new user would do it: an Alertmanager webhook posted with curl opens a SEV2
 * that two cockpits see after `conn sync`.
 */

const run = promisify(execFile);
const work = mkdtempSync(path.join(tmpdir(), 'conn-integrations-'));
const hubDir = path.join(work, 'hub');
let hub: HubProcess;

beforeAll(async () => {
  buildBin();
  ok(hubDir, ['hub', 'invite', 'Ana', '--team', 'payments', '--role', 'admin']);
  hub = await serveHub(hubDir);
}, 60_000);
afterAll(async () => {
  hub.child.kill('SIGKILL');
  await hub.exited;
  rmSync(work, { recursive: true, force: true });
});

const json = <T>(args: string[]): T => JSON.parse(ok(hubDir, ['--json', ...args])) as T;

describe('conn hub integration', { timeout: 90_000 }, () => {
  it('add prints the token once with --json; list shows the settings and never the token or the secret', () => {
    const added = json<{ token: string; path: string; integration: { name: string; kind: string; settings: { signed: boolean } } }>([
      'hub', 'integration', 'add', 'PD-Prod', '--team', 'payments', '--kind', 'pagerduty', '--signing-secret', 'a-long-signing-secret',
    ]);
    expect(added.token).toMatch(/^conni_[0-9a-f-]{36}_/);
    expect(added).toMatchObject({ path: '/alerts/pagerduty', integration: { name: 'pd-prod', kind: 'pagerduty', settings: { signed: true } } });
    const listed = ok(hubDir, ['--json', 'hub', 'integration', 'list', '--team', 'payments']);
    expect(listed).not.toContain(added.token.slice(-20));
    expect(listed).not.toContain('a-long-signing-secret');
    expect(ok(hubDir, ['hub', 'integration', 'list', '--team', 'payments'])).toContain('pd-prod  pagerduty\n  severity from priority or urgency');
  });

  it('set changes only what is given; revoke ends it', () => {
    json(['hub', 'integration', 'add', 'am', '--team', 'payments', '--kind', 'alertmanager']);
    const set = json<{ settings: { severityMap: Record<string, number>; serviceLabels: string[]; resolveToMonitoring: boolean } }>([
      'hub', 'integration', 'set', 'am', '--team', 'payments', '--map', 'disaster=sev1', '--service-label', 'app', '--no-resolve-to-monitoring',
    ]);
    expect(set.settings).toMatchObject({ serviceLabels: ['app'], resolveToMonitoring: false, severityMap: { disaster: 1, critical: 1, warning: 3 } });
    expect(ok(hubDir, ['hub', 'integration', 'revoke', 'am', '--team', 'payments'])).toBe('Revoked the integration "am" in team "payments".\n');
    expect(json<Array<{ name: string; revoked: boolean }>>(['hub', 'integration', 'list', '--team', 'payments']).find((i) => i.name === 'am')!.revoked).toBe(true);
  });

  it('refuses bad input with one line and a non-zero exit, changing nothing', () => {
    const before = ok(hubDir, ['--json', 'hub', 'integration', 'list', '--team', 'payments']);
    const kind = conn(hubDir, ['hub', 'integration', 'add', 'x', '--team', 'payments', '--kind', 'nagios']);
    expect([kind.code, kind.stderr]).toEqual([1, 'conn: --kind nagios: the kind must be one of: alertmanager, pagerduty, generic\n']);
    const map = conn(hubDir, ['hub', 'integration', 'add', 'x', '--team', 'payments', '--kind', 'generic', '--map', 'critical=9']);
    expect(map.code).toBe(1);
    expect(map.stderr).toMatch(/^conn: --map critical=9: unknown severity "9"/);
    const team = conn(hubDir, ['hub', 'integration', 'add', 'x', '--team', 'nobody', '--kind', 'generic']);
    expect(team.code).toBe(3);
    expect(team.stderr).toContain('there is no team "nobody" on this hub');
    const twice = conn(hubDir, ['hub', 'integration', 'add', 'pd-prod', '--team', 'payments', '--kind', 'generic']);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('already has an integration "pd-prod"');
    expect(conn(hubDir, ['hub', 'integration', 'revoke', 'ghost', '--team', 'payments']).code).toBe(3);
    expect(ok(hubDir, ['--json', 'hub', 'integration', 'list', '--team', 'payments'])).toBe(before);
  });
});

describe('as a new user would', () => {
  it('an Alertmanager webhook posted with curl opens a SEV2 that two cockpits see', async () => {
    const { token } = json<{ token: string }>(['hub', 'integration', 'add', 'prod-am', '--team', 'payments', '--kind', 'alertmanager']);
    const cockpits = ['Ana', 'Bo'].map((name) => {
      const dir = path.join(work, name);
      const invite = json<{ token: string }>(['hub', 'invite', name, '--team', 'payments']);
      ok(dir, ['profile', '--name', name]);
      ok(dir, ['connect', hub.url, '--token', invite.token]);
      return dir;
    });
    const body = JSON.stringify({
      version: '4', status: 'firing', receiver: 'conn', groupKey: '{}:{alertname="HighErrorRate"}',
      alerts: [{ status: 'firing', labels: { alertname: 'HighErrorRate', severity: 'error', service: 'checkout' }, annotations: { summary: 'checkout 5xx above 5%' }, startsAt: new Date().toISOString(), fingerprint: '5f1c0ac2b8e9' }],
    });
    const { stdout } = await run('curl', ['-sS', '--fail-with-body', '-H', `Authorization: Bearer ${token}`, '-H', 'Content-Type: application/json', '-d', body, `${hub.url}/alerts/alertmanager`]);
    const ref = (JSON.parse(stdout) as { incidents: Array<{ ref: string }> }).incidents[0]!.ref;
    for (const dir of cockpits) {
      ok(dir, ['sync']);
      const list = JSON.parse(ok(dir, ['--json', 'list'])) as Array<{ ref: string; severity: number; title: string }>;
      expect(list).toEqual([expect.objectContaining({ ref, severity: 2, title: 'HighErrorRate: checkout 5xx above 5%' })]);
    }
  }, 120_000);
});
