import { MAX_RPC_BYTES, type CoreNotification } from '../../shared/api/contract.js';

/*
 * Serves the core's RPC over one MessagePort (Electron's MessagePortMain in the utility
 * process). The port carries JSON strings only: RpcRequest in, RpcResponse and
 * CoreNotification out. Kept apart from core-process.ts so it is tested with a fake port.
 */

export interface RpcServerLike {
  handle(raw: string): Promise<string>;
  onNotification(listener: (n: CoreNotification) => void): (() => void) | void;
}

export interface PortLike {
  on(event: 'message', listener: (e: { data: unknown }) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  postMessage(message: unknown): void;
  start(): void;
}

/** Starts answering on `port`; returns a function that stops the notifications to it. */
export function serveOverPort(port: PortLike, rpc: RpcServerLike): () => void {
  let open = true;
  const unsubscribe = rpc.onNotification((n) => {
    if (open) port.postMessage(JSON.stringify(n));
  });
  const stop = () => {
    open = false;
    if (typeof unsubscribe === 'function') unsubscribe();
  };
  port.on('message', (e) => {
    // The renderer's preload already checks these; the core checks again because it trusts no one.
    if (typeof e.data !== 'string' || e.data.length > MAX_RPC_BYTES) {
      if (open) port.postMessage(JSON.stringify({ id: 0, error: { code: 'invalid-input', message: `requests are JSON strings of at most ${MAX_RPC_BYTES} bytes` } }));
      return;
    }
    void rpc.handle(e.data).then(
      (reply) => {
        if (open) port.postMessage(reply);
      },
      () => undefined, // handle() answers errors as RpcResponse values; a throw here is a closed core
    );
  });
  port.on('close', stop);
  port.start();
  return stop;
}

/** Messages main sends the core process on its parent port. */
export type CoreProcessMessage =
  | { type: 'init'; dataDir: string; hubToken: string | null }
  | { type: 'connect' }
  | { type: 'hub-token'; token: string | null }
  | { type: 'shutdown' };

export function isCoreProcessMessage(x: unknown): x is CoreProcessMessage {
  if (typeof x !== 'object' || x === null) return false;
  const o = x as Record<string, unknown>;
  switch (o['type']) {
    case 'init':
      return typeof o['dataDir'] === 'string' && (o['hubToken'] === null || typeof o['hubToken'] === 'string');
    case 'hub-token':
      return o['token'] === null || typeof o['token'] === 'string';
    case 'connect':
    case 'shutdown':
      return true;
    default:
      return false;
  }
}
