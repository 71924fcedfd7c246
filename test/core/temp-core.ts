import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openCore, type Core, type OpenCoreOptions } from '../../main/core/open.js';

/** A core over a real SQLite file in a fresh temp dir; `cleanup` closes it and removes the dir. */
export function tempCore(opts: Partial<OpenCoreOptions> = {}): { core: Core; dataDir: string; cleanup: () => Promise<void> } {
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(tmpdir(), 'conn-core-'));
  const core = openCore({ ...opts, dataDir });
  return {
    core,
    dataDir,
    cleanup: async () => {
      await core.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
