import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// `npm run bench -- --json` once ended with nothing but Node's version banner: a benchmark that
// crashes must say which it was and why, and the others must still report.
const root = path.resolve(__dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'conn-bench-runner-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

writeFileSync(path.join(dir, 'a-crash.bench.ts'), "setTimeout(() => { throw new TypeError('the hub went away mid-run'); }, 5);\n");
writeFileSync(path.join(dir, 'b-fine.bench.ts'), "process.stdout.write(JSON.stringify({ name: 'fine', value: 1, baseline: 1, ratio: 1 }) + '\\n');\n");

function run(...args: string[]) {
  return spawnSync(process.execPath, [path.join(root, 'scripts/bench.mjs'), ...args], {
    cwd: root,
    env: { ...process.env, CONN_BENCH_DIR: dir },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('npm run bench', () => {
  it('with --json, names a crashed benchmark and its error on one line, and still runs the rest', () => {
    const r = run('--json');
    expect(r.status).toBe(1);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toContainEqual(expect.objectContaining({ bench: 'a-crash.bench.ts', ok: false, error: expect.stringContaining('TypeError: the hub went away mid-run') }));
    expect(lines).toContainEqual(expect.objectContaining({ name: 'fine', ratio: 1 }));
    expect(r.stderr).toContain('1 of 2 benchmarks failed: a-crash.bench.ts');
  });

  it('in text, says which benchmark failed and why', () => {
    const r = run();
    expect(r.stdout).toMatch(/✗ a-crash\.bench\.ts failed after [\d.]+s: TypeError: the hub went away mid-run/);
  });
});
