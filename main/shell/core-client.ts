import type { CoreNotification, Method, ParamsOf } from '../../shared/api/contract.js';
import { ConnError } from '../../shared/domain/errors.js';
import type { PortLike } from './core-port.js';

/*
 * The main process's own connection to the core (for the tray and the notifications): the
 * same RPC the window uses, over a port of its own. When the core process restarts, core-host
 * attaches a fresh port; calls in flight on the old one fail rather than hang.
 */

export interface CoreClient {
  call<M extends Method>(method: M, params: ParamsOf<M>): Promise<unknown>;
  onNotification(listener: (n: CoreNotification) => void): () => void;
  attach(port: PortLike & { close(): void }): void;
  close(): void;
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export function createCoreClient(timeoutMs = 15_000): CoreClient {
  let port: (PortLike & { close(): void }) | null = null;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const listeners = new Set<(n: CoreNotification) => void>();

  function failAll(why: string): void {
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      p.reject(new ConnError('unavailable', why));
      pending.delete(id);
    }
  }

  function onMessage(e: { data: unknown }): void {
    if (typeof e.data !== 'string') return;
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(e.data) as Record<string, unknown>;
    } catch {
      return;
    }
    if (typeof msg['id'] === 'number') {
      const p = pending.get(msg['id']);
      if (!p) return;
      pending.delete(msg['id']);
      clearTimeout(p.timer);
      const err = msg['error'] as { code?: string; message?: string } | undefined;
      if (err) p.reject(new ConnError('internal', `${err.code ?? 'error'}: ${err.message ?? 'the core refused the request'}`));
      else p.resolve(msg['result']);
    } else if (typeof msg['type'] === 'string') {
      for (const l of listeners) l(msg as CoreNotification);
    }
  }

  return {
    call(method, params) {
      if (!port) return Promise.reject(new ConnError('unavailable', 'the core process is not running yet'));
      const id = nextId++;
      const current = port;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new ConnError('unavailable', `the core did not answer ${method} within ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, { resolve, reject, timer });
        current.postMessage(JSON.stringify({ id, method, params }));
      });
    },
    onNotification(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    attach(next) {
      port?.close();
      failAll('the core process restarted');
      port = next;
      next.on('message', onMessage);
      next.start();
    },
    close() {
      failAll('the app is closing');
      port?.close();
      port = null;
    },
  };
}
