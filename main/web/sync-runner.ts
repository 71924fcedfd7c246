import type { Core } from '../core/open.js';
import { SyncSupervisor } from '../core/sync/supervisor.js';

export interface SyncRunner {
  /** One line for the startup banner: which hub, or why sync is off. */
  describe(): string;
}

/**
 * Runs the sync engine for as long as `conn web` runs, when this data dir has a hub
 * connection (`conn connect`, or the app's "Hub connection" dialog). It reconnects on its own; the engine stops itself through
 * core.onClose, so closing the core is the only shutdown needed.
 */
export async function startSyncIfConfigured(core: Core, log: (err: unknown) => void): Promise<SyncRunner & { supervisor: SyncSupervisor }> {
  // During an incident a hub coming back must be noticed within seconds, not after a 30 s
  // backoff: one small reconnect attempt every 5 s at most is cheap for a single hub.
  // The supervisor also lets the app connect or disconnect while it runs (sync.connect).
  const supervisor = new SyncSupervisor(core, { engine: { reconnect: true, reconnectDelayMaxMs: 5000 }, log });
  await supervisor.restart();
  return {
    supervisor,
    describe: () => {
      const hub = supervisor.hub;
      return hub ? `with ${hub}` : 'off: not connected to a hub (connect from the app, or `conn connect HUB_URL --token TOKEN`)';
    },
  };
}
