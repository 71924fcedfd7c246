import type { CoreNotification, Method, ParamsOf, ResultOf } from '../../shared/api/contract.js';
import { RpcClient } from '../../shared/api/rpc-client.js';
import type { PortLike } from './core-port.js';

/*
 * The main process's own connection to the core (for the tray and the notifications): the
 * same client the window uses (shared/api/rpc-client.ts), over a port of its own. When the core
 * process restarts, core-host attaches a fresh port; calls in flight on the old one fail rather
 * than hang.
 */

export interface CoreClient {
  call<M extends Method>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>;
  onNotification(listener: (n: CoreNotification) => void): () => void;
  attach(port: PortLike & { close(): void }): void;
  close(): void;
}

export function createCoreClient(timeoutMs = 15_000): CoreClient {
  let port: (PortLike & { close(): void }) | null = null;
  let client: RpcClient | null = null;
  const listeners = new Set<(n: CoreNotification) => void>();
  const unanswered = (method: string, ms: number) => `the core did not answer ${method} within ${ms} ms`;

  return {
    call(method, params) {
      if (!client) return Promise.reject(Object.assign(new Error('the core process is not running yet'), { code: 'unavailable' }));
      return client.call(method, params);
    },
    onNotification(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    attach(next) {
      port?.close();
      client?.failAll('the core process restarted');
      port = next;
      client = new RpcClient(
        {
          send: (m) => next.postMessage(m),
          onMessage: (l) => next.on('message', (e) => typeof e.data === 'string' && l(e.data)),
        },
        { timeoutMs, unanswered },
      );
      // Only the core's notifications reach main's listeners; the shell's own never come back here.
      client.onNotification((n) => {
        for (const l of listeners) l(n as CoreNotification);
      });
      next.start();
    },
    close() {
      client?.failAll('the app is closing');
      port?.close();
      port = null;
      client = null;
    },
  };
}
