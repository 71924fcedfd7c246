import { EventEmitter } from 'node:events';
import { io, type Socket } from 'socket.io-client';
import { ConnError, type ErrorCode } from '../../../shared/domain/errors.js';
import {
  EventsBroadcastSchema,
  HUB_EVENTS,
  HUB_LIMITS,
  isHubFailure,
  PresenceBroadcastSchema,
  PullResponseSchema,
  PushAckSchema,
  SubscribeAckSchema,
  type HubErrorData,
  type PushRejection,
  type PresenceMember,
  type SequencedEvent,
  type SubscribeAck,
} from '../../../shared/sync/protocol.js';
import type { Core, SyncStatus } from '../open.js';
import type { HubConnection } from './connection.js';
import { adoptTeam, readCursor, rememberMember, writeCursor } from './cursor.js';
import { deferredCount, retryDeferred, splitPage, storeDeferred } from './deferred.js';
import { pendingCount, readOutbox } from './outbox.js';

/*
 * The client side of sync. One engine per open core. It keeps a socket.io connection to the hub
 * (backoff with jitter between attempts), and after every (re)subscribe it drains the outbox in
 * order and pulls from its cursor until caught up. All hub work runs in one pump, one request
 * at a time, so pushes, pulls and broadcasts never race each other over the cursor.
 *
 * Hazards: never emit while disconnected (socket.io would buffer and replay it later, behind our
 * back); never advance the cursor outside the transaction that stored the events.
 */

export interface SyncEngineOptions extends HubConnection {
  /** How long a push, pull or subscribe may wait for its ack. */
  requestTimeoutMs?: number;
  /** Keep reconnecting (the desktop app, `conn web`); `conn sync` connects once. */
  reconnect?: boolean;
  reconnectDelayMs?: number;
  reconnectDelayMaxMs?: number;
  connectTimeoutMs?: number;
  /** Events per push and per pull page. */
  pageSize?: number;
  /** The incident this cockpit is looking at, for presence. */
  incidentId?: string | null;
  onProgress?: (p: SyncProgress) => void;
}

export interface SyncProgress {
  phase: 'push' | 'pull';
  done: number;
  total: number;
}

export interface EngineStatus extends SyncStatus {
  state: 'offline' | 'connecting' | 'online' | 'error';
  pending: number;
  hub: string;
  /** True while pushing or catching up; the renderer shows "Syncing". */
  syncing: boolean;
  lastSyncAt: string | null;
  error?: string;
  errorCode?: string;
  cursor: number;
  head: number;
  /** Local events the hub refused, kept and marked until resent or discarded (`conn sync` lists them). */
  rejected: number;
  /** Pulled events this Conn cannot read yet (from a newer Conn): kept until an upgrade reads them. */
  deferred: number;
}

export interface SyncReport {
  pushed: number;
  pulled: number;
  rejected: PushRejection[];
  cursor: number;
  head: number;
  pending: number;
}

const CLIENT_CODES: Record<HubErrorData['code'], ErrorCode> = {
  unauthenticated: 'unauthenticated',
  forbidden: 'forbidden',
  'not-found': 'not-found',
  'invalid-input': 'invalid-input',
  'too-large': 'too-large',
  'clock-drift': 'clock-drift',
  conflict: 'conflict',
  unavailable: 'unavailable',
  internal: 'internal',
};

export class SyncEngine {
  private socket: Socket | null = null;
  private readonly emitter = new EventEmitter();
  private subscribed = false;
  private needPush = true;
  private needPull = true;
  private pumping: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private state: EngineStatus['state'] = 'offline';
  private syncing = false;
  private error: { code: string; message: string } | null = null;
  private lastSyncAt: string | null = null;
  private head = 0;
  private stopped = false;
  private announcing = false;
  private manualRetries = 0;
  private unlisten: (() => void) | null = null;
  private readonly presence = new Map<string, PresenceMember[]>();
  readonly totals = { pushed: 0, pulled: 0, rejected: [] as PushRejection[] };
  private readonly opts: Required<Omit<SyncEngineOptions, 'onProgress' | 'incidentId'>> & Pick<SyncEngineOptions, 'onProgress' | 'incidentId'>;

  constructor(
    private readonly core: Core,
    options: SyncEngineOptions,
  ) {
    this.opts = {
      requestTimeoutMs: 15_000,
      reconnect: true,
      reconnectDelayMs: 500,
      reconnectDelayMaxMs: 30_000,
      connectTimeoutMs: 10_000,
      pageSize: HUB_LIMITS.pullEvents,
      ...options,
    };
  }

  /** Connects and keeps syncing until stop(). Plugs the engine into the core's sync.status. */
  start(): void {
    if (this.socket) return;
    this.stopped = false;
    const socket = io(this.opts.url, {
      auth: { token: this.opts.token },
      transports: ['websocket'],
      reconnection: this.opts.reconnect,
      reconnectionDelay: this.opts.reconnectDelayMs,
      reconnectionDelayMax: this.opts.reconnectDelayMaxMs,
      // ±50% jitter on every backoff step, so a team's cockpits do not reconnect in lockstep.
      randomizationFactor: 0.5,
      timeout: this.opts.connectTimeoutMs,
    });
    this.socket = socket;
    // An upgraded Conn may now read events an older one deferred.
    this.retryDeferred();
    this.setState('connecting');
    socket.on('connect', () => {
      this.subscribed = false;
      this.manualRetries = 0;
      this.kick(true, true);
    });
    socket.on('connect_error', (err: Error & { data?: unknown }) => {
      const data = err.data as Partial<HubErrorData> | undefined;
      if (data?.code === 'unavailable' && data.message) {
        // The hub is shutting down or could not check the token right now: try again later.
        this.error = { code: data.code, message: data.message };
        this.setState('offline');
        this.reconnectLater(socket);
      } else if (data?.code && data.message) {
        // Refused by the hub (bad or revoked token): retrying the same token cannot help.
        this.error = { code: data.code, message: data.message };
        this.setState('error');
        socket.disconnect();
      } else {
        this.error = { code: 'unavailable', message: `cannot reach the hub at ${this.opts.url} (${err.message})` };
        this.setState('offline');
      }
    });
    socket.on('disconnect', (reason) => {
      this.subscribed = false;
      // socket.io does not reconnect by itself after the server hung up on us (a hub shutting
      // down or restarting does that); we do, after a jittered delay. A revoked token is then
      // refused at connect and ends in the 'error' state.
      if (reason === 'io server disconnect') this.reconnectLater(socket);
      // socket.io queues emits made while disconnected and replays them on reconnect; we never
      // want that (the outbox is the queue), so drop anything it may have kept.
      socket.sendBuffer = [];
      if (!this.stopped && !this.error) this.error = { code: 'unavailable', message: `lost the connection to the hub at ${this.opts.url}` };
      if (this.state !== 'error') this.setState(this.stopped ? 'offline' : this.opts.reconnect ? 'connecting' : 'offline');
    });
    socket.on(HUB_EVENTS.events, (msg: unknown) => this.onBroadcast(msg));
    socket.on(HUB_EVENTS.presence, (msg: unknown) => {
      const p = PresenceBroadcastSchema.safeParse(msg);
      if (!p.success) return;
      this.presence.set(p.data.incidentId, p.data.members);
      this.emitter.emit('presence', p.data);
    });
    this.unlisten = this.core.events.onChange((n) => {
      // A local write announces 'sync-changed'; so do we. Only the former means "push".
      if (n.type === 'sync-changed' && !this.announcing) this.kick(true, false);
    });
    this.core.syncStatusProvider = () => this.status();
    this.core.onClose(() => this.stop());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.unlisten?.();
    this.unlisten = null;
    const socket = this.socket;
    this.socket = null;
    socket?.removeAllListeners();
    socket?.disconnect();
    await this.pumping?.catch(() => undefined);
    this.state = 'offline';
  }

  status(): EngineStatus {
    const s: EngineStatus = {
      state: this.state,
      pending: pendingCount(this.core.db),
      hub: this.opts.url,
      syncing: this.syncing,
      lastSyncAt: this.lastSyncAt,
      cursor: readCursor(this.core.db),
      head: this.head,
      rejected: this.core.events.refusedCount(),
      deferred: deferredCount(this.core.db),
    };
    if (this.error) {
      s.error = this.error.message;
      s.errorCode = this.error.code;
    }
    return s;
  }

  /** Who is connected to an incident now, as last broadcast by the hub. */
  presenceOf(incidentId: string): PresenceMember[] {
    return this.presence.get(incidentId) ?? [];
  }

  on(event: 'status', fn: (s: EngineStatus) => void): () => void;
  on(event: 'presence', fn: (p: { incidentId: string; members: PresenceMember[] }) => void): () => void;
  on(event: string, fn: (arg: never) => void): () => void {
    const listener = fn as (...args: unknown[]) => void;
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }

  /** Moves this cockpit's presence to another incident (or none). */
  watchIncident(incidentId: string | null): void {
    this.opts.incidentId = incidentId;
    this.subscribed = false;
    this.kick(false, false);
  }

  /**
   * Connects once, pushes the whole outbox and pulls until caught up, then disconnects: what
   * `conn sync` does. Rejects with a ConnError when the hub is unreachable or refuses; nothing
   * local is lost either way (the outbox only shrinks on acks).
   */
  async runOnce(): Promise<SyncReport> {
    this.opts.reconnect = false;
    const done = new Promise<void>((resolve, reject) => {
      const off = this.on('status', (s) => {
        if (s.state === 'online' && !s.syncing) {
          off();
          resolve();
        } else if (s.state === 'error' || (s.state === 'offline' && this.error)) {
          off();
          const code = this.error?.code as HubErrorData['code'] | undefined;
          reject(new ConnError(code ? CLIENT_CODES[code] ?? 'unavailable' : 'unavailable', this.error?.message ?? 'lost the connection to the hub'));
        }
      });
    });
    this.start();
    try {
      await done;
      return { ...this.totals, cursor: readCursor(this.core.db), head: this.head, pending: pendingCount(this.core.db) };
    } finally {
      await this.stop();
    }
  }

  /**
   * socket.io stops reconnecting after the server hung up on us or refused us in its middleware
   * (a hub shutting down or restarting does both); we retry with the same backoff and jitter.
   * A revoked token is then refused for good and ends in the 'error' state.
   */
  private reconnectLater(socket: Socket): void {
    if (!this.opts.reconnect || this.stopped) return;
    const base = Math.min(this.opts.reconnectDelayMaxMs, this.opts.reconnectDelayMs * 2 ** this.manualRetries);
    this.manualRetries += 1;
    const retry = setTimeout(() => {
      if (!this.stopped && this.socket === socket && !socket.connected) socket.connect();
    }, base * (0.5 + Math.random()));
    retry.unref();
  }

  private setState(state: EngineStatus['state']): void {
    this.state = state;
    this.announce();
  }

  /** Tells the engine's listeners and the core's (the renderer's sync indicator) that status changed. */
  private announce(): void {
    this.emitter.emit('status', this.status());
    this.announcing = true;
    try {
      this.core.events.notify({ type: 'sync-changed' });
    } finally {
      this.announcing = false;
    }
  }

  private kick(push: boolean, pull: boolean): void {
    if (push) this.needPush = true;
    if (pull) this.needPull = true;
    if (this.pumping || !this.socket?.connected) return;
    this.pumping = this.pump().finally(() => {
      this.pumping = null;
      // Something asked for work while the last round was finishing.
      if (this.socket?.connected && (this.needPush || this.needPull || !this.subscribed)) this.kick(false, false);
    });
  }

  private async pump(): Promise<void> {
    this.syncing = true;
    try {
      while (this.socket?.connected && !this.stopped) {
        if (!this.subscribed) {
          await this.subscribe();
        } else if (this.needPush) {
          this.needPush = false;
          await this.pushAll();
        } else if (this.needPull) {
          this.needPull = false;
          await this.pullAll();
        } else break;
      }
      if (this.socket?.connected && this.subscribed) {
        this.syncing = false;
        this.error = null;
        this.lastSyncAt = new Date().toISOString();
        this.setState('online');
      }
    } catch (err) {
      this.syncing = false;
      this.needPush = true;
      this.needPull = true;
      const e = err instanceof ConnError ? err : new ConnError('unavailable', `the hub did not answer in time (${err instanceof Error ? err.message : String(err)})`);
      this.error = { code: e.code, message: e.message };
      if (e.code === 'unauthenticated' || e.code === 'forbidden' || !this.opts.reconnect) {
        this.setState(e.code === 'unavailable' ? 'offline' : 'error');
        if (e.code !== 'unavailable') this.socket?.disconnect();
        return;
      }
      this.setState(this.socket?.connected ? 'connecting' : 'offline');
      // Still connected but the hub is slow or failed: try again shortly; a reconnect also retries.
      this.retryTimer = setTimeout(() => this.kick(true, true), 1000 + Math.random() * 1000);
      this.retryTimer.unref();
    } finally {
      this.syncing = false;
    }
  }

  private async request(name: string, payload: unknown): Promise<unknown> {
    const socket = this.socket;
    if (!socket?.connected) throw new ConnError('unavailable', `not connected to the hub at ${this.opts.url}`);
    const ack: unknown = await socket.timeout(this.opts.requestTimeoutMs).emitWithAck(name, payload);
    if (isHubFailure(ack)) throw new ConnError(CLIENT_CODES[ack.error.code] ?? 'internal', ack.error.message);
    return ack;
  }

  private async subscribe(): Promise<void> {
    const ack: SubscribeAck = SubscribeAckSchema.parse(await this.request(HUB_EVENTS.subscribe, { incidentId: this.opts.incidentId ?? null }));
    adoptTeam(this.core.db, ack.team);
    // Who the hub says we are: the cockpit applies the authority rule as this member from now on.
    rememberMember(this.core.db, ack.member);
    this.head = ack.head;
    this.subscribed = true;
  }

  private async pushAll(): Promise<void> {
    const total = pendingCount(this.core.db);
    let done = 0;
    for (;;) {
      const batch = readOutbox(this.core.db, this.opts.pageSize, HUB_LIMITS.messageBytes / 2);
      if (batch.events.length === 0) return;
      const ack = PushAckSchema.parse(await this.request(HUB_EVENTS.push, { events: batch.events }));
      const answered = ack.accepted.length + ack.rejected.length;
      if (answered === 0) throw new ConnError('internal', 'the hub answered a push without accepting or rejecting anything');
      this.core.events.settlePush(
        ack.accepted.map((a) => a.id),
        ack.rejected,
        new Date(),
        batch.events,
      );
      this.totals.pushed += ack.accepted.length;
      this.totals.rejected.push(...ack.rejected);
      this.head = Math.max(this.head, ack.head);
      done += batch.events.length;
      this.opts.onProgress?.({ phase: 'push', done, total: Math.max(total, done) });
      if (ack.accepted.some((a) => a.seq > readCursor(this.core.db))) this.needPull = true;
      this.announce();
    }
  }

  private async pullAll(): Promise<void> {
    const start = readCursor(this.core.db);
    const pull = (after: number) => this.request(HUB_EVENTS.pull, { after, limit: this.opts.pageSize }).then((r) => PullResponseSchema.parse(r));
    let after = start;
    let next = pull(after);
    for (;;) {
      const page = await next;
      this.head = page.head;
      const last = page.events[page.events.length - 1]?.seq ?? after;
      const more = page.more && page.events.length > 0;
      // Ask for the next page before applying this one, so the hub and the wire work while we write.
      if (more) {
        next = pull(last);
        next.catch(() => undefined); // awaited on the next turn; don't report it as unhandled meanwhile
      }
      this.apply(page.events, after);
      after = last;
      this.opts.onProgress?.({ phase: 'pull', done: after - start, total: Math.max(0, page.head - start) });
      if (!more) break;
    }
    this.retryDeferred();
  }

  /** Ingests the deferred events this Conn can now parse; never fails sync over it. */
  private retryDeferred(): void {
    try {
      this.totals.pulled += retryDeferred(this.core);
    } catch {
      // the rows stay; the next start or pull tries again
    }
  }

  /**
   * Stores one page and moves the cursor in ONE transaction. The core's ingest ignores ids it
   * already has, so a page applied twice (a replayed broadcast, a retried pull) changes nothing.
   * Events this Conn cannot parse (a kind from a newer Conn) are kept raw in deferred_events in
   * the same transaction, so moving the cursor past them loses nothing (see deferred.ts).
   */
  private apply(page: readonly SequencedEvent[], after: number): void {
    if (page.length === 0) return;
    const { events, deferred } = splitPage(page);
    const last = page[page.length - 1]!.seq;
    let applied = 0;
    this.core.db
      .transaction(() => {
        applied = this.core.events.ingest(events).applied.length;
        storeDeferred(this.core.db, deferred);
        writeCursor(this.core.db, Math.max(last, after));
      })
      .immediate();
    this.totals.pulled += applied;
  }

  private onBroadcast(msg: unknown): void {
    const b = EventsBroadcastSchema.safeParse(msg);
    if (!b.success) return;
    this.head = Math.max(this.head, b.data.to);
    const cursor = readCursor(this.core.db);
    if (b.data.to <= cursor) return;
    // The fast path: the broadcast continues exactly where we are, and nothing else is running.
    if (!this.pumping && this.subscribed && b.data.from === cursor + 1) {
      this.apply(b.data.events, cursor);
      this.lastSyncAt = new Date().toISOString();
      this.announce();
      return;
    }
    this.kick(false, true);
  }
}
