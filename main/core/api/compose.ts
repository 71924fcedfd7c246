import { openCore, type Core } from '../open.js';
import { runbooksOf } from '../runbooks/service.js';
import { SyncSupervisor, type HubTokenKeeper } from '../sync/supervisor.js';
import { inProcessClient, type InProcessChannel } from './in-process.js';
import { attachRecordings } from './recordings.js';
import { createRpcServer, type RpcServer } from './rpc-server.js';
import type { RpcClient } from '../../../shared/api/rpc-client.js';

/*
 * The one place a cockpit is assembled, for all three hosts: the Electron core process, `conn
 * web` and the CLI. A host says what kind it is; this decides what runs. Long-running hosts get
 * the sync supervisor (which keeps sync, runbook sharing and presence on one hub connection and
 * lets the app connect and disconnect while it runs) and a warm runbook search; a CLI command
 * gets neither, only the in-process client. Hosts pass in what only they have (the desktop's
 * safeStorage token, a log); nothing reaches into the core from outside afterwards.
 */

export type HostKind = 'desktop' | 'web' | 'cli';

export interface ComposeOptions {
  dataDir: string;
  host: HostKind;
  log?: (err: unknown) => void;
  /** The desktop keeps the hub token with safeStorage; other hosts use `conn connect`'s token file. */
  tokens?: HubTokenKeeper;
}

export interface Cockpit {
  readonly core: Core;
  /** Serves the API contract to a transport (MessagePort, WebSocket). */
  readonly rpc: RpcServer;
  /** The contract's typed client, answered in this process: what the CLI calls. */
  readonly api: RpcClient<InProcessChannel>;
  /** Null in the CLI, where `conn sync` runs one engine for one command. */
  readonly sync: SyncSupervisor | null;
  /** Stops sync, closes the client and the database. */
  close(): Promise<void>;
}

/** How each host keeps sync: a hub coming back is noticed within seconds in a long-running cockpit. */
const SYNC_BY_HOST: Record<Exclude<HostKind, 'cli'>, ConstructorParameters<typeof SyncSupervisor>[1]> = {
  desktop: {},
  // One small reconnect attempt every 5 s at most is cheap for a single hub.
  web: { engine: { reconnect: true, reconnectDelayMaxMs: 5000 } },
};

export async function composeCockpit(opts: ComposeOptions): Promise<Cockpit> {
  const log = opts.log ?? (() => undefined);
  let sync: SyncSupervisor | null = null;
  const host = opts.host;
  const core = openCore({
    dataDir: opts.dataDir,
    // Passed in, not patched on: the supervisor is the core's sync from the moment it opens.
    ...(host === 'cli' ? {} : { sync: (c: Core) => (sync = new SyncSupervisor(c, { ...SYNC_BY_HOST[host], log, ...(opts.tokens ? { tokens: opts.tokens } : {}) })) }),
  });
  // Recordings a crash left running are closed by the app or `conn web` when they start, never by
  // a CLI command that could run beside them; every host prunes by the retention.
  attachRecordings(core, { recover: host !== 'cli' });
  const rpc = createRpcServer(core, log);
  const api = inProcessClient(core, { log });
  if (sync !== null) {
    const supervisor: SyncSupervisor = sync;
    // These processes live as long as the cockpit: worth warming the library's search.
    runbooksOf(core).prewarmSearch();
    // Starts with the hub `conn connect` or the app configured, if any; failures are logged, not fatal.
    await supervisor.restart().catch(log);
  }
  return {
    core,
    rpc,
    api,
    sync,
    async close() {
      api.channel.close();
      await core.close();
    },
  };
}
