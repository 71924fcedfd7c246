import type { Core } from '../core/open.js';
import { loadConnection } from '../core/sync/connection.js';
import { SyncEngine } from '../core/sync/engine.js';
import { startRunbookSync } from '../core/runbooks/share.js';

export interface SyncRunner {
  /** One line for the startup banner: which hub, or why sync is off. */
  describe(): string;
}

/**
 * Runs the sync engine for as long as `conn web` runs, when this data dir has a hub
 * connection (`conn connect`). It reconnects on its own; the engine stops itself through
 * core.onClose, so closing the core is the only shutdown needed.
 */
export async function startSyncIfConfigured(core: Core, _log: (err: unknown) => void): Promise<SyncRunner> {
  const conn = loadConnection(core);
  if (!conn) return { describe: () => 'off: not connected to a hub (`conn connect HUB_URL --token TOKEN`)' };
  // During an incident a hub coming back must be noticed within seconds, not after a 30 s
  // backoff: one small reconnect attempt every 5 s at most is cheap for a single hub.
  const engine = new SyncEngine(core, { ...conn, reconnect: true, reconnectDelayMaxMs: 5000 });
  engine.start();
  // Runbooks teammates publish arrive while the cockpit is open (main/core/runbooks/share.ts).
  startRunbookSync(core, conn, _log);
  return { describe: () => `with ${conn.url}` };
}
