import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * What scripts rely on, through the real bin on a real data dir: `conn --version`.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const work = mkdtempSync(path.join(tmpdir(), 'conn-json-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build.mjs', 'node'], { cwd: root, stdio: 'ignore' });
}, 60_000);

function conn(args: string[]) {
  const r = spawnSync(process.execPath, ['bin/conn.js', ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, CONN_DATA_DIR: work, TZ: 'UTC' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };

describe('conn --version', () => {
  it.each([[['--version']], [['-V']], [['--data-dir', work, '--version']]])('prints the package version for %j', (args) => {
    const r = conn(args);
    expect(r).toMatchObject({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it.each([[['--version', '--json']], [['--json', '--version']]])('prints {"version"} for %j', (args) => {
    const r = conn(args);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ version: pkg.version });
  });

  it('leaves a command option of the same name alone (runbook show NAME --version N)', () => {
    const r = conn(['runbook', 'show', 'no-such-runbook', '--version', '2']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^conn: no runbook named "no-such-runbook"/);
  });
});
