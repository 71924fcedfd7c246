import { composeCockpit, type Cockpit } from '../core/api/compose.js';
import { isCoreProcessMessage, serveOverPort } from './core-port.js';

/*
 * The utilityProcess entry (bundled to dist/shell/core-process.js). It owns the database and
 * the sync engine, so a slow query or a sync burst never freezes the window. main.ts sends
 * 'init' once, then one 'connect' with a MessagePort per window (and one for itself).
 */

let cockpit: Cockpit | null = null;
let starting = false;
/** Ports main sent before the cockpit was composed (main does not wait for 'ready'): served once it is. */
const waitingPorts: Parameters<typeof serveOverPort>[0][] = [];
/**
 * The hub-token seam: the token arrives decrypted from main (safeStorage lives there, and a
 * utility process has none). It wins over the CLI's plain token file; it is never written to
 * disk or the environment here.
 */
let keptToken: string | null = null;

const log = (err: unknown) => process.stderr.write(`conn core: ${err instanceof Error ? err.message : String(err)}\n`);

/** A token arrived while the cockpit was still being composed: restart sync with it once it is. */
let restartOwed = false;

/** (Re)starts sync with the hub `conn connect` (or the app) configured, if any, and the best token we have. */
async function restartSync(): Promise<void> {
  if (!cockpit) {
    restartOwed = true;
    return;
  }
  await cockpit.sync?.restart();
}

const parentPort = process.parentPort;

parentPort.on('message', (e) => {
  const msg: unknown = e.data;
  if (!isCoreProcessMessage(msg)) return;
  switch (msg.type) {
    case 'init':
      if (cockpit || starting) return;
      starting = true;
      keptToken = msg.hubToken;
      // The app's "Hub connection" dialog (sync.connect) hands its token to main to keep with
      // safeStorage; the kept token still wins over the CLI's plain token file.
      composeCockpit({
        dataDir: msg.dataDir,
        host: 'desktop',
        log,
        tokens: {
          load: () => keptToken,
          save: (token) => {
            keptToken = token;
            parentPort.postMessage({ type: 'keep-hub-token', token });
          },
        },
      }).then(
        (c) => {
          cockpit = c;
          for (const port of waitingPorts.splice(0)) serveOverPort(port, c.rpc);
          parentPort.postMessage({ type: 'ready' });
          if (restartOwed) void restartSync().catch(log);
        },
        (err: unknown) => {
          parentPort.postMessage({ type: 'fatal', message: err instanceof Error ? err.message : String(err) });
          process.exit(1);
        },
      );
      return;
    case 'connect': {
      const port = e.ports[0];
      if (!port) return;
      if (cockpit) serveOverPort(port, cockpit.rpc);
      else waitingPorts.push(port);
      return;
    }
    case 'hub-token':
      keptToken = msg.token;
      void restartSync().catch(log);
      return;
    case 'shutdown':
      // Closing the core stops the supervisor's engine and runbook sync too (core.onClose).
      void (cockpit?.close() ?? Promise.resolve()).finally(() => process.exit(0));
      return;
  }
});
