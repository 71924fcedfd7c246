import type { RpcClient } from '../shared/api/rpc-client.js';
import type { Core } from '../main/core/open.js';
import type { GlobalOptions } from './context.js';

/**
 * The API client a command calls: the contract's one typed `call`, answered in this process by
 * the same handlers the desktop app and `conn web` serve. Every action a command performs goes
 * through it, so the CLI cannot do an action differently from the app.
 */
export type Api = RpcClient;

/**
 * Opens the core for one command and always closes it. `api` is the in-process client of the
 * API contract; `core` is only for what no method covers (the hub connection, imports, the sync
 * engine). The import is dynamic so `conn --help` and argument errors never load the native
 * SQLite module or the core's handlers.
 */
export async function withCore<T>(g: GlobalOptions, fn: (core: Core, api: Api) => T | Promise<T>): Promise<T> {
  const { composeCockpit } = await import('../main/core/api/compose.js');
  // A failure that is not a ConnError reaches the command as code "internal"; its stack is for
  // whoever asks for it with CONN_DEBUG, as program.ts does for the CLI's own failures.
  const cockpit = await composeCockpit({ dataDir: g.dataDir, host: 'cli', log: (err) => void (process.env['CONN_DEBUG'] && console.error(err)) });
  try {
    return await fn(cockpit.core, cockpit.api);
  } finally {
    await cockpit.close();
  }
}

/** withCore for the commands that are API calls and nothing else: they never see the core. */
export function withApi<T>(g: GlobalOptions, fn: (api: Api) => T | Promise<T>): Promise<T> {
  return withCore(g, (_core, api) => fn(api));
}
