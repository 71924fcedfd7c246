import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBin, connInDir, root } from '../sync/conn-bin.js';

/*
 * What scripts rely on, through the real bin on a real data dir: `conn --version`, and with
 * --json every failure as one JSON line on stderr with the documented exit code.
 */
const work = mkdtempSync(path.join(tmpdir(), 'conn-json-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
beforeAll(() => buildBin(), 60_000);

const conn = (args: string[]) => connInDir(work, args);

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

describe('conn --json, when something fails', () => {
  let ref = '';
  beforeAll(() => {
    ref = conn(['declare', 'Search is slow', '--sev', '3']).stdout.trim();
  }, 60_000);

  const cases: Array<[string, () => string[], number, string, RegExp]> = [
    ['an unknown command', () => ['--json', 'panic'], 2, 'usage', /^unknown command 'panic'/],
    ['a missing argument', () => ['note', '--json'], 2, 'usage', /^missing required argument 'ref'$/],
    ['an unknown option', () => ['list', '--everything', '--json'], 2, 'usage', /^unknown option '--everything'/],
    ['an option without its value', () => ['--json', 'profile', '--hours'], 2, 'usage', /argument missing/],
    ['no command at all', () => ['--json'], 2, 'usage', /^a command is needed: run `conn --help`/],
    ['a group without its command', () => ['--json', 'runbook'], 2, 'usage', /^a command is needed: run `conn runbook --help`/],
    ['bad input', () => ['--json', 'sev', ref, '9'], 1, 'invalid-input', /^unknown severity "9"/],
    ['an unknown incident', () => ['show', 'INC-ZZZZZZ', '--json'], 3, 'not-found', /^no incident INC-ZZZZZZ/],
  ];
  for (const [what, args, exit, code, message] of cases) {
    it(`reports ${what} as one JSON line on stderr, exit ${exit}`, () => {
      const r = conn(args());
      expect(r.code).toBe(exit);
      expect(r.stdout).toBe('');
      const lines = r.stderr.split('\n');
      expect(lines).toHaveLength(2); // one line, then the final newline
      expect(lines[1]).toBe('');
      const body = JSON.parse(lines[0]!) as { error: { code: string; message: string } };
      expect(Object.keys(body)).toEqual(['error']);
      expect(body.error.code).toBe(code);
      expect(body.error.message).toMatch(message);
    });
  }

  it('keeps the plain one-line errors without --json', () => {
    expect(conn(['sev', ref, '9'])).toMatchObject({ code: 1, stdout: '', stderr: 'conn: unknown severity "9": use 1 (worst) to 5\n' });
    const usage = conn(['panic']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^error: unknown command 'panic'/);
  });
});
