import type { Core } from '../open.js';
import { loadConnection } from './connection.js';
import { SyncEngine, type SyncEngineOptions } from './engine.js';

/**
 * Starts continuous sync for a long-running host (the desktop app's core process, `conn web`)
 * when this data dir is connected to a hub; returns null when it is not. The engine stops
 * itself when the core closes.
 */
export function startSync(core: Core, opts: Partial<Omit<SyncEngineOptions, 'url' | 'token'>> = {}): SyncEngine | null {
  const conn = loadConnection(core);
  if (!conn) return null;
  const engine = new SyncEngine(core, { ...opts, ...conn });
  engine.start();
  return engine;
}
