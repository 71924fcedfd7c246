import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/*
 * Vitest's global setup: the Node bundles that the bin loads (dist/cli, dist/shell) are built
 * once per run here, before any test file starts, rather than once in each of the ~25 files that
 * run the real `conn` (each build took 1.5-4 s and they ran in series). `npm test` has just run
 * `scripts/build.mjs all` and says so with CONN_TEST_BUILT=1; a lone `npx vitest run file` builds
 * here, so a test never runs a bin older than the source. buildBin() in test/sync/conn-bin.ts
 * reads CONN_BIN_BUILT, which the worker processes inherit from this process's environment.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export default function setup(): void {
  if (process.env['CONN_TEST_BUILT'] !== '1') {
    execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs'), 'node'], { cwd: root, stdio: 'inherit' });
  }
  process.env['CONN_BIN_BUILT'] = '1';
}
