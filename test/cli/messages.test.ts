import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBin, connInDir } from '../sync/conn-bin.js';

/*
 * What a person reads from the real bin on a real data dir: refusals that name the option they
 * typed, never a payload's field.
 */
const work = mkdtempSync(path.join(tmpdir(), 'conn-messages-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
beforeAll(() => buildBin(), 60_000);

const conn = (args: string[], dir = work) => connInDir(dir, args);
function ok(args: string[], dir = work): string {
  const r = conn(args, dir);
  if (r.code !== 0) throw new Error(`conn ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

describe('refusals in the words a person typed', () => {
  let ref = '';
  beforeAll(() => {
    ok(['profile', '--name', 'Ana', '--tz', 'Europe/Berlin']);
    ref = ok(['declare', 'Checkout returns 502', '--sev', '2']).trim();
  }, 60_000);

  const cases: Array<[string, () => string[], string]> = [
    ['working hours that are not HH:MM-HH:MM', () => ['profile', '--hours', '9-5'], '--hours: working hours look like 09:00-17:00'],
    ['an empty name', () => ['profile', '--name', ' '], '--name: a name is required'],
    ['a name over the limit', () => ['profile', '--name', 'n'.repeat(81)], '--name must be at most 80 characters'],
    ['an empty title', () => ['declare', '  '], 'a title is required'],
    ['an empty service', () => ['declare', 'Search is slow', '--service', 'search', '--service', ''], '--service cannot be empty'],
    ['an empty summary', () => ['declare', 'Search is slow', '--summary', ' '], '--summary: text is empty'],
    ['an empty action owner', () => ['action', ref, 'roll back', '--owner', ''], '--owner: a name is required'],
    ['an empty redaction reason', () => ['redact', ref, '0190a5c4-0000-7000-8000-000000000bad', '--reason', ' '], '--reason: a redaction needs a reason'],
  ];
  const snapshot = () => ok(['--json', 'list', '--all']) + ok(['--json', 'profile']);
  for (const [what, args, sentence] of cases) {
    it(`says "${sentence}" for ${what}, and changes nothing`, () => {
      const before = snapshot();
      const r = conn(args());
      expect(r).toMatchObject({ code: 1, stdout: '', stderr: `conn: ${sentence}\n` });
      const json = conn(['--json', ...args()]);
      expect(JSON.parse(json.stderr)).toEqual({ error: { code: 'invalid-input', message: sentence } });
      expect(snapshot()).toBe(before);
    });
  }
});

describe('who commands, as conn show says it', () => {
  it('names the declarer as commander while nobody is assigned, as the hub rules', () => {
    const dir = path.join(work, 'commander');
    ok(['profile', '--name', 'Ada'], dir);
    const ref = ok(['declare', 'Queue backlog', '--sev', '2'], dir).trim();
    expect(ok(['show', ref], dir)).toMatch(/\n {2}roles {6}commander: Ada \(declarer\)\n/);
    ok(['role', ref, 'comms', 'Cy'], dir);
    expect(ok(['show', ref], dir)).toMatch(/\n {2}roles {6}commander: Ada \(declarer\), comms: Cy\n/);
    ok(['role', ref, 'ic', 'Bo'], dir);
    expect(ok(['show', ref], dir)).toMatch(/\n {2}roles {6}commander: Bo, comms: Cy\n/);
    ok(['role', ref, 'commander', 'none'], dir);
    expect(ok(['show', ref], dir)).toMatch(/\n {2}roles {6}commander: Ada \(declarer\), comms: Cy\n/);
  }, 60_000);
});
