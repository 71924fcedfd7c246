import type { RpcChannel } from '../../../shared/api/rpc-client.js';
import { RpcClient } from '../../../shared/api/rpc-client.js';
import type { Core } from '../open.js';
import { createRpcServer } from './rpc-server.js';

/**
 * The RPC channel of a client in the same process as its core (the CLI): each request goes
 * through the same RpcServer the MessagePort and the WebSocket serve, as the same JSON string,
 * so a method behaves here exactly as it does for the app, its result is as JSON-clean as
 * theirs, and its errors carry the same codes and sentences.
 */
export interface InProcessChannel extends RpcChannel {
  /** Stops forwarding the core's notifications; calls sent after this are answered "unavailable". */
  close(): void;
}

export interface InProcessOptions {
  /** Where an internal failure (not a ConnError) goes; the caller only sees code "internal". */
  log?: (err: unknown) => void;
  /** How long a call may take; there is no connection to lose, only a handler that never ends. */
  timeoutMs?: number;
}

/** No connection to lose: only a handler that hangs would run into this, so it is long. */
const IN_PROCESS_TIMEOUT_MS = 10 * 60_000;

export function inProcessClient(core: Core, opts: InProcessOptions = {}): RpcClient<InProcessChannel> {
  const server = createRpcServer(core, opts.log);
  const listeners = new Set<(message: string) => void>();
  const deliver = (message: string) => {
    for (const l of listeners) l(message);
  };
  // Notifications are a few small ids per commit: cheap to forward, and a long-running caller
  // (a watch) gets the same pushes as the app.
  let stopNotifications: (() => void) | null = server.onNotification((n) => deliver(JSON.stringify(n)));
  let closed = false;

  const channel: InProcessChannel = {
    send(message) {
      if (closed) {
        // The core behind this channel is closing or closed: answer rather than touch it.
        const id = (JSON.parse(message) as { id: number }).id;
        queueMicrotask(() => deliver(JSON.stringify({ id, error: { code: 'unavailable', message: 'the core is closed' } })));
        return;
      }
      void server.handle(message).then(deliver);
    },
    onMessage(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      closed = true;
      stopNotifications?.();
      stopNotifications = null;
    },
  };
  const timeoutMs = opts.timeoutMs ?? IN_PROCESS_TIMEOUT_MS;
  return new RpcClient(channel, {
    timeoutMs,
    unanswered: (method) => `the core did not finish ${method} in ${Math.round(timeoutMs / 1000)} s`,
  });
}
