import { createRpcServer } from '../core/api/rpc-server.js';
import { openCore, type Core } from '../core/open.js';
import { startRunbookSync } from '../core/runbooks/share.js';
import { loadConnection, type HubConnection } from '../core/sync/connection.js';
import { SyncEngine } from '../core/sync/engine.js';
import { isCoreProcessMessage, serveOverPort, type RpcServerLike } from './core-port.js';

/*
 * The utilityProcess entry (bundled to dist/shell/core-process.js). It owns the database and
 * the sync engine, so a slow query or a sync burst never freezes the window. main.ts sends
 * 'init' once, then one 'connect' with a MessagePort per window (and one for itself).
 */

let core: Core | null = null;
let rpc: RpcServerLike | null = null;
let sync: { engine: SyncEngine; runbooks: { stop(): void } } | null = null;
/**
 * The hub-token seam: the token arrives decrypted from main (safeStorage lives there, and a
 * utility process has none). It wins over the CLI's plain token file; it is never written to
 * disk or the environment here.
 */
let keptToken: string | null = null;

const log = (err: unknown) => process.stderr.write(`conn core: ${err instanceof Error ? err.message : String(err)}\n`);

/** (Re)starts sync with the hub `conn connect` configured, if any, and the best token we have. */
async function restartSync(): Promise<void> {
  if (sync) {
    sync.runbooks.stop();
    await sync.engine.stop();
    sync = null;
  }
  if (!core) return;
  const saved = loadConnection(core);
  if (!saved) return; // no hub configured: the cockpit works alone
  const conn: HubConnection = { url: saved.url, token: keptToken ?? saved.token };
  const engine = new SyncEngine(core, { ...conn, reconnect: true });
  engine.start();
  sync = { engine, runbooks: startRunbookSync(core, conn, log) };
}

const parentPort = process.parentPort;

parentPort.on('message', (e) => {
  const msg: unknown = e.data;
  if (!isCoreProcessMessage(msg)) return;
  switch (msg.type) {
    case 'init':
      if (core) return;
      try {
        core = openCore({ dataDir: msg.dataDir });
        rpc = createRpcServer(core, log);
        keptToken = msg.hubToken;
        parentPort.postMessage({ type: 'ready' });
      } catch (err) {
        parentPort.postMessage({ type: 'fatal', message: err instanceof Error ? err.message : String(err) });
        process.exit(1);
      }
      void restartSync().catch(log);
      return;
    case 'connect': {
      const port = e.ports[0];
      if (port && rpc) serveOverPort(port, rpc);
      return;
    }
    case 'hub-token':
      keptToken = msg.token;
      void restartSync().catch(log);
      return;
    case 'shutdown':
      // Closing the core stops the engine too (it registered with core.onClose).
      sync?.runbooks.stop();
      void (core?.close() ?? Promise.resolve()).finally(() => process.exit(0));
      return;
  }
});
