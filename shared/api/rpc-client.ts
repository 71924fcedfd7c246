import type { CoreNotification, Method, ParamsOf, ResultOf, RpcResponse, ShellMethod, ShellNotification, ShellParams, ShellResults } from './contract.js';

/*
 * The one client of the API contract. The renderer uses it over the Electron bridge or a
 * WebSocket, the desktop shell over its own MessagePort to the core process, and the CLI over
 * an in-process channel: every caller gets the same typed `call` and the same errors.
 */

/** JSON strings both ways; how they travel is the channel's business. */
export interface RpcChannel {
  send(message: string): void;
  onMessage(listener: (message: string) => void): unknown;
  /**
   * Drops a message that is still queued, never sent; true if it was. A call given up on is
   * withdrawn, so an entry the person was told did not go through is not appended later.
   */
  withdraw?(message: string): boolean;
}

/** A failed call: the core's stable code and its sentence. */
export class RpcCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RpcCallError';
  }
}

export interface RpcClientOptions {
  timeoutMs?: number;
  /** The sentence for a call that got no answer in time; hosts know what to suggest. */
  unanswered?: (method: string, timeoutMs: number, withdrawn: boolean) => string;
}

type Listener = (n: CoreNotification | ShellNotification) => void;
interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Typed calls over a channel. Responses are matched by id; anything that is not a response (no
 * numeric id) is a notification and goes to the subscribers.
 */
export class RpcClient<C extends RpcChannel = RpcChannel> {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly subscribers = new Set<Listener>();
  private readonly timeoutMs: number;

  constructor(
    readonly channel: C,
    private readonly opts: RpcClientOptions = {},
  ) {
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    channel.onMessage((raw) => this.receive(raw));
  }

  call<M extends Method>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    return this.request(method, params) as Promise<ResultOf<M>>;
  }

  /**
   * A method the Electron shell answers itself (contract.ts, shell section). Over the browser's
   * WebSocket it fails with the core's "not-found": the caller says what that means there.
   */
  callShell<M extends ShellMethod>(method: M, params: ShellParams[M]): Promise<ShellResults[M]> {
    return this.request(method, params) as Promise<ShellResults[M]>;
  }

  private request(method: string, params: unknown): Promise<unknown> {
    const id = this.nextId++;
    const message = JSON.stringify({ id, method, params });
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        // Still queued behind a lost connection: take it back, so "not saved" stays true.
        const withdrawn = this.channel.withdraw?.(message) ?? false;
        const sentence = this.opts.unanswered?.(method, this.timeoutMs, withdrawn) ?? `${method} got no answer from the core in ${this.timeoutMs / 1000}s`;
        reject(new RpcCallError('unavailable', sentence));
      }, this.timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.channel.send(message);
    });
  }

  /** Core notifications, and in Electron the shell's (deep links, the quick-note hotkey). */
  onNotification(listener: Listener): () => void {
    this.subscribers.add(listener);
    return () => void this.subscribers.delete(listener);
  }

  /** Fails every call still waiting (the channel is gone): they must not hang. */
  failAll(why: string): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new RpcCallError('unavailable', why));
      this.pending.delete(id);
    }
  }

  private receive(raw: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(raw);
    } catch {
      return; // a channel never sends non-JSON; ignore rather than crash the caller
    }
    if (typeof msg !== 'object' || msg === null) return;
    const id = (msg as { id?: unknown }).id;
    if (typeof id === 'number') {
      const p = this.pending.get(id);
      if (!p) return;
      this.pending.delete(id);
      clearTimeout(p.timer);
      const r = msg as RpcResponse;
      if ('error' in r) p.reject(new RpcCallError(r.error.code, r.error.message));
      else p.resolve(r.result);
      return;
    }
    if (typeof (msg as { type?: unknown }).type === 'string') {
      for (const s of this.subscribers) s(msg as CoreNotification | ShellNotification);
    }
  }
}
