import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../cli/program.js';
import { terminalSafe } from '../../cli/commands/runbooks.js';

let dir: string;
let out: string;
let err: string;
async function conn(...args: string[]): Promise<number> {
  out = '';
  err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  try {
    return await run(['--data-dir', path.join(dir, 'data'), ...args]);
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'conn-rb-cli-'));
  // An empty seed folder: these tests see only the runbooks they import.
  mkdirSync(path.join(dir, 'empty'));
  process.env['CONN_RUNBOOK_SEED_DIR'] = path.join(dir, 'empty');
  mkdirSync(path.join(dir, 'repo'));
  writeFileSync(path.join(dir, 'repo', 'failover.md'), '---\ntitle: Failover\nlast_verified: 2020-01-01\n---\n- [ ] promote the replica\n\u001b]0;pwned\u0007<script>x</script>\n');
  writeFileSync(path.join(dir, 'repo', 'broken.md'), '---\ntitle: [x\n---\n');
});
afterEach(() => {
  delete process.env['CONN_RUNBOOK_SEED_DIR'];
  rmSync(dir, { recursive: true, force: true });
});

describe('conn runbook', () => {
  it('imports with a JSON report, then reports unchanged on a second import', async () => {
    // A rejected file fails the command (exit 1, one JSON line on stderr) after the rest is imported.
    expect(await conn('--json', 'runbook', 'import', path.join(dir, 'repo'))).toBe(1);
    expect(err).toBe('{"error":{"code":"invalid-input","message":"1 file was rejected (listed above with the reasons); the others were imported"}}\n');
    const first = JSON.parse(out);
    expect(first.added.map((x: { name: string }) => x.name)).toEqual(['failover']);
    expect(first.rejected[0]).toMatchObject({ file: 'broken.md' });
    expect(first.rejected[0].reason).toMatch(/invalid front matter at line 2/);
    await conn('--json', 'runbook', 'import', path.join(dir, 'repo'));
    expect(JSON.parse(out).unchanged).toHaveLength(1);
    rmSync(path.join(dir, 'repo', 'broken.md'));
    expect(await conn('runbook', 'import', path.join(dir, 'repo'))).toBe(0);
    expect(out).toMatch(/^added 0, updated 0, unchanged 1, rejected 0/);
  });

  it('shows a runbook as plain text with terminal escapes removed, flagged stale', async () => {
    await conn('runbook', 'import', path.join(dir, 'repo'));
    expect(await conn('runbook', 'show', 'failover')).toBe(0);
    expect(out).toContain('[STALE]');
    expect(out).toContain('<script>x</script>');
    expect(out).not.toContain('\u001b');
    expect(await conn('runbook', 'list', '--stale', '--stale-days', '100000')).toBe(0);
    expect(out).toBe('no runbooks\n');
  });

  it('searches with highlighted matches and reports bad raw syntax on stderr with a failing exit', async () => {
    await conn('runbook', 'import', path.join(dir, 'repo'));
    expect(await conn('runbook', 'search', 'replica')).toBe(0);
    expect(out).toContain('**replica**');
    expect(await conn('runbook', 'search', '--raw', 'replica AND')).toBe(1);
    expect(err).toMatch(/^conn: the search "replica AND" is not valid FTS5 syntax/);
  });

  it('exits 3 with a hint for an unknown runbook or version', async () => {
    await conn('runbook', 'import', path.join(dir, 'repo'));
    expect(await conn('runbook', 'show', 'nope')).toBe(3);
    expect(err).toMatch(/no runbook named "nope"/);
    expect(await conn('runbook', 'show', 'failover', '--version', '2')).toBe(3);
  });

  it('attaches to an incident and checks a step', async () => {
    await conn('runbook', 'import', path.join(dir, 'repo'));
    await conn('declare', 'Primary down', '--sev', '1');
    const ref = out.trim();
    expect(await conn('runbook', 'attach', ref, 'failover')).toBe(0);
    expect(await conn('runbook', 'check', ref, 'promote')).toBe(0);
    await conn('--json', 'runbook', 'steps', ref);
    expect(JSON.parse(out)[0].steps[0]).toMatchObject({ key: 'promote-the-replica', done: true });
  });

  it('keeps a break-glass pack and refuses a javascript: link in it', async () => {
    expect(await conn('breakglass', 'import', path.resolve('resources/runbooks/breakglass-template.yaml'))).toBe(0);
    expect(await conn('breakglass', 'show')).toBe(0);
    expect(out).toContain('Primary incident bridge');
    writeFileSync(path.join(dir, 'bad.yaml'), 'bridges:\n  - name: x\n    url: javascript:alert(1)\n');
    expect(await conn('breakglass', 'import', path.join(dir, 'bad.yaml'))).toBe(1);
    expect(err).toMatch(/bridges.0.url: a link must start with https:/);
    await conn('breakglass', 'show');
    expect(out).toContain('Primary incident bridge');
  });
});

describe('terminalSafe', () => {
  it('removes escape and control characters but keeps newlines and tabs', () => {
    expect(terminalSafe('a\u001b[31mb\u0007\tc\n\u009bd')).toBe('a[31mb\tc\nd');
  });
});
