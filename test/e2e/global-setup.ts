import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The tests drive the built bin and renderer; build them when they are missing (or CONN_E2E_BUILD=1). */
export default function globalSetup(): void {
  const built = existsSync(path.join(root, 'dist/cli/conn.js')) && existsSync(path.join(root, 'dist/renderer/index.html'));
  if (built && !process.env['CONN_E2E_BUILD']) return;
  execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs'), 'all'], { cwd: root, stdio: 'inherit' });
}
