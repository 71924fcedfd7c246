import { createRpcServer } from '../core/api/rpc-server.js';
import { openCore, type Core } from '../core/open.js';
import { runbooksOf } from '../core/runbooks/service.js';
import { SyncSupervisor } from '../core/sync/supervisor.js';
import { isCoreProcessMessage, serveOverPort, type RpcServerLike } from './core-port.js';

/*
 * The utilityProcess entry (bundled to dist/shell/core-process.js). It owns the database and
 * the sync engine, so a slow query or a sync burst never freezes the window. main.ts sends
 * 'init' once, then one 'connect' with a MessagePort per window (and one for itself).
 */

let core: Core | null = null;
let rpc: RpcServerLike | null = null;
let sync: SyncSupervisor | null = null;
/**
 * The hub-token seam: the token arrives decrypted from main (safeStorage lives there, and a
 * utility process has none). It wins over the CLI's plain token file; it is never written to
 * disk or the environment here.
 */
let keptToken: string | null = null;

const log = (err: unknown) => process.stderr.write(`conn core: ${err instanceof Error ? err.message : String(err)}\n`);

/** (Re)starts sync with the hub `conn connect` (or the app) configured, if any, and the best token we have. */
async function restartSync(): Promise<void> {
  await sync?.restart();
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
        runbooksOf(core).prewarmSearch(); // this process lives as long as the app: worth warming
        keptToken = msg.hubToken;
        // The app's "Hub connection" dialog (sync.connect) hands its token to main to keep with
        // safeStorage; the kept token still wins over the CLI's plain token file.
        sync = new SyncSupervisor(core, {
          log,
          tokens: {
            load: () => keptToken,
            save: (token) => {
              keptToken = token;
              parentPort.postMessage({ type: 'keep-hub-token', token });
            },
          },
        });
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
      // Closing the core stops the supervisor's engine and runbook sync too (core.onClose).
      void (core?.close() ?? Promise.resolve()).finally(() => process.exit(0));
      return;
  }
});
