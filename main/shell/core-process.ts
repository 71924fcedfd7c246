import { createRpcServer } from '../core/api/rpc-server.js';
import { openCore, type Core } from '../core/open.js';
import { isCoreProcessMessage, serveOverPort, type RpcServerLike } from './core-port.js';

/*
 * The utilityProcess entry (bundled to dist/shell/core-process.js). It owns the database and
 * the sync engine, so a slow query or a sync burst never freezes the window. main.ts sends
 * 'init' once, then one 'connect' with a MessagePort per window (and one for itself).
 */

let core: Core | null = null;
let rpc: RpcServerLike | null = null;

/**
 * The hub-token seam: the token arrives decrypted from main (safeStorage lives there) and is
 * handed to the core if it accepts one. It is never written to disk or the environment here.
 */
function setHubToken(token: string | null): void {
  const seam = core as unknown as { setHubToken?: (t: string | null) => void } | null;
  seam?.setHubToken?.(token);
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
        rpc = createRpcServer(core);
        setHubToken(msg.hubToken);
        parentPort.postMessage({ type: 'ready' });
      } catch (err) {
        parentPort.postMessage({ type: 'fatal', message: err instanceof Error ? err.message : String(err) });
        process.exit(1);
      }
      return;
    case 'connect': {
      const port = e.ports[0];
      if (port && rpc) serveOverPort(port, rpc);
      return;
    }
    case 'hub-token':
      setHubToken(msg.token);
      return;
    case 'shutdown':
      void (core?.close() ?? Promise.resolve()).finally(() => process.exit(0));
      return;
  }
});
