import type { CoreNotification, Method, ParamsOf, RpcError, RpcResponse, ShellNotification } from '../../shared/api/contract.js';
import type { Transport } from './transport.js';
import type { ResultOf } from './results.js';

/** An RPC failure as the UI shows it: the core's code and its actionable sentence. */
export class RpcCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RpcCallError';
  }
}

const CALL_TIMEOUT_MS = 30_000;

/**
 * Typed calls over a transport. Responses are matched by id; anything that is not a response
 * (no numeric id) is a notification and goes to the subscribers.
 */
export class RpcClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> }>();
  private readonly subscribers = new Set<(n: CoreNotification | ShellNotification) => void>();

  constructor(readonly transport: Transport) {
    transport.onMessage((raw) => this.receive(raw));
  }

  call<M extends Method>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    const id = this.nextId++;
    const message = JSON.stringify({ id, method, params });
    return new Promise<ResultOf<M>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        // Still queued behind a lost connection: take it back, so "not saved" stays true.
        const withdrawn = this.transport.withdraw?.(message) ?? false;
        reject(
          new RpcCallError(
            'unavailable',
            `${method} got no answer from the core in ${CALL_TIMEOUT_MS / 1000}s${withdrawn ? ' and was not sent' : ''}; is \`conn web\` still running?`,
          ),
        );
      }, CALL_TIMEOUT_MS);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.transport.send(message);
    });
  }

  /** Core notifications, and in Electron the shell's (deep links, the quick-note hotkey). */
  onNotification(listener: (n: CoreNotification | ShellNotification) => void): () => void {
    this.subscribers.add(listener);
    return () => this.subscribers.delete(listener);
  }

  private receive(raw: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(raw);
    } catch {
      return; // a transport never sends non-JSON; ignore rather than crash the window
    }
    if (typeof msg !== 'object' || msg === null) return;
    const id = (msg as { id?: unknown }).id;
    if (typeof id === 'number') {
      const p = this.pending.get(id);
      if (!p) return;
      this.pending.delete(id);
      clearTimeout(p.timer);
      const r = msg as RpcResponse;
      if ('error' in r) p.reject(new RpcCallError((r.error as RpcError).code, (r.error as RpcError).message));
      else p.resolve(r.result);
      return;
    }
    if (typeof (msg as { type?: unknown }).type === 'string') {
      for (const s of this.subscribers) s(msg as CoreNotification | ShellNotification);
    }
  }
}
