import { RpcClient } from '../../shared/api/rpc-client.js';
import type { Transport } from './transport.js';

export { RpcCallError, RpcClient } from '../../shared/api/rpc-client.js';

/** The window's client: the shared one, with a sentence that says what to check in a browser. */
/** The window's client; its channel is the window's transport (connection state included). */
export type WindowClient = RpcClient<Transport>;

export function windowClient(transport: Transport): WindowClient {
  return new RpcClient(transport, {
    unanswered: (method, ms, withdrawn) => `${method} got no answer from the core in ${ms / 1000}s${withdrawn ? ' and was not sent' : ''}; is \`conn web\` still running?`,
  });
}
