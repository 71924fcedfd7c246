import type { Core } from '../core/open.js';

export interface SyncRunner {
  /** One line for the startup banner: which hub, or why sync is off. */
  describe(): string;
}

/**
 * Runs the sync engine for as long as `conn web` runs, when this data dir has a hub
 * connection (`conn connect`). The engine registers its own stop with core.onClose.
 */
export async function startSyncIfConfigured(_core: Core, _log: (err: unknown) => void): Promise<SyncRunner> {
  return { describe: () => 'off (no sync engine in this build)' };
}
