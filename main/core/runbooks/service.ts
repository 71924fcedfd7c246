import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Core } from '../open.js';
import { importDirectory } from './import-export.js';
import { RunbookLibrary } from '../store/runbook-library.js';

/**
 * The core's runbook library (core.runbooks), seeded on first use. A new install is seeded with
 * the example runbooks shipped in resources/runbooks, once: the "seeded" setting is written even
 * if the seed finds nothing, so deleting every runbook later never brings the examples back.
 */
export function runbooksOf(core: Core, opts: { seedDir?: string | null } = {}): RunbookLibrary {
  const lib = core.runbooks;
  if (!lib.seedChecked) {
    const seedDir = opts.seedDir === undefined ? (process.env['CONN_RUNBOOK_SEED_DIR'] ?? findSeedDir()) : opts.seedDir;
    seedOnce(lib, seedDir);
  }
  return lib;
}

export function seedOnce(lib: RunbookLibrary, seedDir: string | null): void {
  lib.seedChecked = true;
  if (lib.setting('seeded') !== null) return;
  if (lib.count() === 0 && seedDir && existsSync(seedDir)) importDirectory(lib, seedDir, { author: 'Conn examples' });
  lib.setSetting('seeded', new Date().toISOString());
}

/**
 * resources/runbooks, found by walking up from this module: it sits at a different depth in the
 * source tree (main/core/runbooks) and in the bundles (dist/cli, dist/shell). A packaged app
 * sets CONN_RUNBOOK_SEED_DIR to its resources folder instead.
 */
function findSeedDir(): string | null {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'resources', 'runbooks');
    if (existsSync(candidate)) return candidate;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return null;
}

/** Who this cockpit's writes are by: the local profile's name. */
export function authorName(core: Core): string {
  return core.profile.get().name;
}
