import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, expect, it } from 'vitest';
import { buildBin } from '../sync/conn-bin.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
beforeAll(() => {
  buildBin();
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
