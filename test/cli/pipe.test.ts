import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build.mjs', 'node'], { cwd: root, stdio: 'ignore' });
}, 60_000);

it('leaves quietly with exit 0 when the reader closes the pipe early (conn --help | head -1)', async () => {
  const child = spawn(process.execPath, ['bin/conn.js', '--help'], { cwd: root });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect(stderr).toBe('');
  expect(code).toBe(0);
});
