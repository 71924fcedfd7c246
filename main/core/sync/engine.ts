import { EventEmitter } from 'node:events';
import type { Socket } from 'socket.io-client';
import { ConnError } from '../../../shared/domain/errors.js';
import {
  EventsBroadcastSchema,
  HUB_EVENTS,
  HUB_LIMITS,
  PresenceBroadcastSchema,
  PullResponseSchema,
  PushAckSchema,
  SubscribeAckSchema,
  UNVERSIONED_PROTOCOL,
  type PushRejection,
  type PresenceMember,
  type SequencedEvent,
  type SubscribeAck,
} from '../../../shared/sync/protocol.js';
import type { Core, SyncStatus } from '../open.js';
import { hubNodes, type HubConnection } from './connection.js';
import { adoptTeam, readCursor, rememberMember, writeCursor } from './cursor.js';
import { deferredCount, retryDeferred, splitPage, storeDeferred } from './deferred.js';
import { connectFailure, hubError, hubRequest, hubSocket } from './hub-link.js';
import { pendingCount, readOutbox } from './outbox.js';
import { RateLimitedError, slowDownDelay, slowDownMessage } from './slow-down.js';

/*
 * The client side of sync. One engine per open core. It keeps a socket.io connection to the hub
 * (backoff with jitter between attempts), and after every (re)subscribe it drains the outbox in
 * order and pulls from its cursor until caught up. All hub work runs in one pump, one request
 * at a time, so pushes, pulls and broadcasts never race each other over the cursor.
 *
 * Its socket is the cockpit's one connection to the hub: other services (runbook sharing) send
 * their requests and hear their broadcasts through it (HubChannel), and presence rides on its
 * subscribe. So a running cockpit holds exactly one socket, whatever it shares.
 *
 * With several hub nodes (one hub's address list, "URL1,URL2") it is on one at a time: when
 * that node cannot be reached, is shutting down, or drops the connection, it moves to the next
 * (the first pass over the others at once, then with the same backoff and jitter), and stays
 * there. Nothing is lost or duplicated by a move: the nodes share one store and one sequence, so
 * the cursor holds, and a push whose ack was lost is answered with its original seq.
 *
 * Hazards: never emit while disconnected (socket.io would buffer and replay it later, behind our
 * back); never advance the cursor outside the transaction that stored the events.
 */

/**
 * The engine's connection as other services see it. Requests wait for the subscribe ack of the
 * current connection (the hub knows who we are and has put us in the team's room), and fail at
 * once with 'unavailable' while there is no connection: a service keeps its own state and asks
 * again on the next 'ready', exactly as the engine does with its outbox. Nothing is queued
 * across a disconnect, for the same reason the engine never emits while disconnected.
 */
export interface HubChannel {
  /** The hub's address (a service's cursor belongs to one hub). */
  readonly url: string;
  /** True from the first subscribe ack of a connection until that connection is lost. */
  readonly ready: boolean;
  /** One request with an ack; the hub's refusal, a timeout or a lost connection reject with a ConnError. */
  request(name: string, payload: unknown): Promise<unknown>;
  /** Listens to one hub broadcast (say 'runbook.published') for as long as the engine runs. */
  onHub(event: string, fn: (msg: unknown) => void): () => void;
  /** Called on every (re)connection, once it is ready for requests. */
  on(event: 'ready', fn: () => void): () => void;
}

export interface SyncEngineOptions extends HubConnection {
  /** How long a push, pull or subscribe may wait for its ack. */
  requestTimeoutMs?: number;
  /** Keep reconnecting (the desktop app, `conn web`); `conn sync` connects once. */
  reconnect?: boolean;
  reconnectDelayMs?: number;
  reconnectDelayMaxMs?: number;
  connectTimeoutMs?: number;
  /**
   * Events per push and per pull page. Without it a push carries HUB_LIMITS.pushEvents and a
   * pull asks for the largest page the hub says it serves (its subscribe ack), up to
   * HUB_LIMITS.pullEventsMax: fewer, larger pages make a catch-up commit less often.
   */
  pageSize?: number;
  /** The longest wait when the hub asks us to slow down; after it we simply ask again. */
  maxSlowDownMs?: number;
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
  /** The protocol version the hub said it speaks at the last subscribe (1 for a hub that names none). */
  hubProtocol?: number;
}

export interface SyncReport {
  pushed: number;
  pulled: number;
  rejected: PushRejection[];
  cursor: number;
  head: number;
  pending: number;
}

export class SyncEngine implements HubChannel {
  private socket: Socket | null = null;
  private readonly emitter = new EventEmitter();
  private subscribed = false;
  /** Subscribed at least once on this connection: services' requests may go (see HubChannel). */
  private linked = false;
  /** Services' requests made between connect and the first subscribe ack. */
  private waitingForLink: Array<{ resolve: () => void; reject: (err: ConnError) => void }> = [];
  /** Services' broadcast listeners, by hub event name. */
  private readonly hubListeners = new Map<string, Set<(msg: unknown) => void>>();
  private hubProtocol: number | null = null;
  private member: { id: string; name: string } | null = null;
  private needPush = true;
  private needPull = true;
  private pumping: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  /** Set while the hub asked us to slow down: pushes wait for it (pulls do not), nothing is dropped. */
  private slowDownTimer: NodeJS.Timeout | null = null;
  /** The hub's nodes, in the order to try them, and the one we are on. */
  private readonly nodes: string[];
  private node = 0;
  /** Nodes tried since the last connection: a full pass that failed backs off (and ends `conn sync`). */
  private nodeTries = 0;
  private failoverTimer: NodeJS.Timeout | null = null;
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
  /** The largest pull page the hub said it serves at the last subscribe (HUB_LIMITS.pullEvents when it said none). */
  private hubPullEvents: number = HUB_LIMITS.pullEvents;
  private readonly opts: Required<Omit<SyncEngineOptions, 'onProgress' | 'incidentId' | 'pageSize'>> & Pick<SyncEngineOptions, 'onProgress' | 'incidentId' | 'pageSize'>;

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
      maxSlowDownMs: 60_000,
      ...options,
    };
    this.nodes = hubNodes(this.opts.url);
  }

  /** The node this engine is on (or trying) now. */
  private get nodeUrl(): string {
    return this.nodes[this.node] ?? this.opts.url;
  }

  /** Connects and keeps syncing until stop(). Its status() is what the supervisor reports as sync.status. */
  start(): void {
    if (this.socket || this.unlisten) return;
    this.stopped = false;
    // An upgraded Conn may now read events an older one deferred.
    this.retryDeferred();
    this.unlisten = this.core.bus.on((n) => {
      // A local write announces 'sync-changed'; so do we. Only the former means "push".
      if (n.type === 'sync-changed' && !this.announcing) this.kick(true, false);
    });
    this.core.onClose(() => this.stop());
    this.openSocket();
  }

  /** Opens the socket to the current node; with one node, socket.io's own reconnection keeps it. */
  private openSocket(): void {
    const socket = hubSocket({ url: this.nodeUrl, token: this.opts.token }, {
      reconnect: this.opts.reconnect && this.nodes.length === 1,
      reconnectDelayMs: this.opts.reconnectDelayMs,
      reconnectDelayMaxMs: this.opts.reconnectDelayMaxMs,
      timeoutMs: this.opts.connectTimeoutMs,
    });
    this.socket = socket;
    this.setState('connecting');
    socket.on('connect', () => {
      this.subscribed = false;
      this.manualRetries = 0;
      this.nodeTries = 0;
      this.kick(true, true);
    });
    socket.on('connect_error', (err: Error & { data?: unknown }) => {
      const failure = connectFailure(err, this.nodeUrl);
      if (failure.kind === 'slow-down') {
        // Too many failed sign-ins from this address (maybe someone else's behind the same NAT):
        // the hub did not even look at our token. Not a verdict on it: wait as asked, try again.
        const wait = slowDownDelay(failure.retryAfterMs, this.opts.maxSlowDownMs);
        this.error = { code: 'rate-limited', message: slowDownMessage(wait, failure.error.message) };
        this.setState('connecting');
        this.connectLater(socket, wait);
        return;
      }
      this.error = { code: failure.error.code, message: failure.error.message };
      // Another node may answer (this one is down or draining); a refusal is the hub's verdict.
      if ((failure.kind === 'unreachable' || failure.kind === 'busy') && this.failover(socket, failure.error)) return;
      if (failure.kind === 'busy') {
        // The hub is shutting down or could not check the token right now: try again later.
        this.setState('offline');
        this.reconnectLater(socket);
      } else if (failure.kind === 'refused') {
        // Refused by the hub (bad or revoked token): retrying the same token cannot help.
        this.setState('error');
        socket.disconnect();
      } else {
        this.setState('offline');
      }
    });
    socket.on('disconnect', (reason) => {
      this.subscribed = false;
      this.unlink();
      // socket.io does not reconnect by itself after the server hung up on us (a hub shutting
      // down or restarting does that); we do, after a jittered delay. A revoked token is then
      // refused at connect and ends in the 'error' state.
      const moving = this.nodes.length > 1 && reason !== 'io client disconnect' && !this.stopped;
      if (reason === 'io server disconnect' && !moving) this.reconnectLater(socket);
      // socket.io queues emits made while disconnected and replays them on reconnect; we never
      // want that (the outbox is the queue), so drop anything it may have kept.
      socket.sendBuffer = [];
      if (!this.stopped && (!this.error || this.error.code === 'rate-limited')) this.error = { code: 'unavailable', message: `lost the connection to the hub at ${this.nodeUrl}` };
      if (moving && this.state !== 'error' && this.failover(socket, new ConnError('unavailable', `lost the connection to the hub at ${this.nodeUrl}`))) return;
      if (this.state !== 'error') this.setState(this.stopped ? 'offline' : this.opts.reconnect ? 'connecting' : 'offline');
    });
    socket.on(HUB_EVENTS.events, (msg: unknown) => this.onBroadcast(msg));
    socket.on(HUB_EVENTS.presence, (msg: unknown) => {
      const p = PresenceBroadcastSchema.safeParse(msg);
      if (!p.success) return;
      this.setPresence(p.data.incidentId, p.data.members);
    });
    // Everything else the hub broadcasts goes to the services listening for it (runbook sharing).
    socket.onAny((event: string, msg: unknown) => {
      for (const fn of this.hubListeners.get(event) ?? []) fn(msg);
    });
  }

  /**
   * Leaves this node for the next one. The first pass over the other nodes goes almost at once
   * (jittered, so a dead node's cockpits do not all land on the next in the same instant); once
   * every node has failed in a row, each further move waits the reconnect backoff. `conn sync`
   * (no reconnecting) gives up after one failed pass: false, and the caller reports the failure.
   */
  private failover(from: Socket, why: ConnError): boolean {
    if (this.stopped || this.socket !== from) return false;
    this.nodeTries += 1;
    if (!this.opts.reconnect && this.nodeTries >= this.nodes.length) return false;
    from.removeAllListeners();
    from.offAny();
    from.disconnect();
    this.socket = null;
    this.subscribed = false;
    this.unlink();
    this.node = (this.node + 1) % this.nodes.length;
    this.error = { code: why.code, message: `${why.message}; trying ${this.nodeUrl}` };
    this.setState('connecting');
    const passes = Math.floor(this.nodeTries / this.nodes.length);
    const base = passes === 0 ? this.opts.reconnectDelayMs / 5 : Math.min(this.opts.reconnectDelayMaxMs, this.opts.reconnectDelayMs * 2 ** (passes - 1));
    if (this.failoverTimer) clearTimeout(this.failoverTimer);
    this.failoverTimer = setTimeout(() => {
      this.failoverTimer = null;
      if (!this.stopped && this.socket === null) this.openSocket();
    }, base * (0.5 + Math.random()));
    // Not unref'd: `conn sync` has nothing else keeping it alive between one node and the next.
    return true;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.slowDownTimer) clearTimeout(this.slowDownTimer);
    this.slowDownTimer = null;
    if (this.failoverTimer) clearTimeout(this.failoverTimer);
    this.failoverTimer = null;
    this.unlisten?.();
    this.unlisten = null;
    const socket = this.socket;
    this.socket = null;
    socket?.removeAllListeners();
    socket?.offAny();
    socket?.disconnect();
    this.subscribed = false;
    this.unlink();
    await this.pumping?.catch(() => undefined);
    this.state = 'offline';
  }

  /** The hub's address. */
  get url(): string {
    return this.opts.url;
  }

  get ready(): boolean {
    return this.linked && this.socket?.connected === true;
  }

  /** Who the hub said we are at the last subscribe (presence marks our own entry), or null before it. */
  get self(): { id: string; name: string } | null {
    return this.member;
  }

  /**
   * A service's request over the engine's socket (HubChannel). It waits for the current
   * connection's subscribe ack, and fails with 'unavailable' while there is no connection or if
   * it is lost before the answer. The sync protocol's own messages are the engine's alone: a
   * push from elsewhere would bypass the outbox.
   */
  async request(name: string, payload: unknown): Promise<unknown> {
    if ((Object.values(HUB_EVENTS) as string[]).includes(name)) throw new ConnError('internal', `"${name}" is the sync engine's own message; other services cannot send it`);
    await this.untilLinked();
    try {
      return await this.send(name, payload);
    } catch (err) {
      if (err instanceof ConnError) throw err;
      throw new ConnError('unavailable', `the hub at ${this.nodeUrl} did not answer (${err instanceof Error ? err.message : String(err)})`);
    }
  }

  onHub(event: string, fn: (msg: unknown) => void): () => void {
    let set = this.hubListeners.get(event);
    if (!set) this.hubListeners.set(event, (set = new Set()));
    set.add(fn);
    return () => void set.delete(fn);
  }

  private untilLinked(): Promise<void> {
    if (!this.socket?.connected) return Promise.reject(new ConnError('unavailable', `not connected to the hub at ${this.nodeUrl}`));
    if (this.linked) return Promise.resolve();
    return new Promise((resolve, reject) => this.waitingForLink.push({ resolve, reject }));
  }

  /** The connection is gone: waiting requests fail, and who was looking is no longer known. */
  private unlink(): void {
    this.linked = false;
    const waiting = this.waitingForLink;
    this.waitingForLink = [];
    for (const w of waiting) w.reject(new ConnError('unavailable', `lost the connection to the hub at ${this.nodeUrl}`));
    // Presence is only true while we hear the hub; offline, nobody is shown as looking.
    for (const incidentId of [...this.presence.keys()]) this.setPresence(incidentId, []);
    this.presence.clear();
  }

  private setPresence(incidentId: string, members: PresenceMember[]): void {
    const before = this.presence.get(incidentId) ?? [];
    this.presence.set(incidentId, members);
    if (JSON.stringify(before) === JSON.stringify(members)) return;
    this.emitter.emit('presence', { incidentId, members });
    // The window refetches presence for the incident it shows (CoreNotification carries ids only).
    this.core.bus.emit({ type: 'presence-changed', incidentId });
  }

  status(): EngineStatus {
    const s: EngineStatus = {
      state: this.state,
      pending: pendingCount(this.core.db),
      hub: this.opts.url,
      ...(this.nodes.length > 1 ? { node: this.nodeUrl } : {}),
      // Waiting out the hub's slow-down is still syncing: there is more to push.
      syncing: this.syncing || this.slowDownTimer !== null,
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
    if (this.hubProtocol !== null) s.hubProtocol = this.hubProtocol;
    return s;
  }

  /** Who is connected to an incident now, as last broadcast by the hub. */
  presenceOf(incidentId: string): PresenceMember[] {
    return this.presence.get(incidentId) ?? [];
  }

  on(event: 'status', fn: (s: EngineStatus) => void): () => void;
  on(event: 'presence', fn: (p: { incidentId: string; members: PresenceMember[] }) => void): () => void;
  on(event: 'ready', fn: () => void): () => void;
  on(event: string, fn: (arg: never) => void): () => void {
    const listener = fn as (...args: unknown[]) => void;
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }

  /** Moves this cockpit's presence to another incident (or none): the next subscribe says so. */
  watchIncident(incidentId: string | null): void {
    if ((this.opts.incidentId ?? null) === incidentId) return;
    this.opts.incidentId = incidentId;
    this.subscribed = false;
    this.kick(false, false);
  }

  /** The incident this cockpit's presence is on, or null. */
  get watching(): string | null {
    return this.opts.incidentId ?? null;
  }

  /**
   * Connects once, pushes the whole outbox and pulls until caught up, then disconnects: what
   * `conn sync` does. Rejects with a ConnError when the hub is unreachable or refuses; nothing
   * local is lost either way (the outbox only shrinks on acks). When the hub asks us to slow
   * down it waits and goes on, however long the outbox: that is pacing, not failure.
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
          reject(hubError({ code: this.error?.code, message: this.error?.message ?? 'lost the connection to the hub' }, 'unavailable'));
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

  /** Reconnects after a wait the hub asked for, also in `conn sync` (which never reconnects otherwise). */
  private connectLater(socket: Socket, ms: number): void {
    if (this.stopped) return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      if (!this.stopped && this.socket === socket && !socket.connected) socket.connect();
    }, ms);
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
      this.core.bus.emit({ type: 'sync-changed' });
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
      if (this.socket?.connected && (this.pushAllowed() || this.needPull || !this.subscribed)) this.kick(false, false);
    });
  }

  private async pump(): Promise<void> {
    this.syncing = true;
    try {
      while (this.socket?.connected && !this.stopped) {
        if (!this.subscribed) {
          await this.subscribe();
        } else if (this.pushAllowed()) {
          this.needPush = false;
          await this.pushAll();
        } else if (this.needPull) {
          this.needPull = false;
          await this.pullAll();
        } else break;
      }
      if (this.socket?.connected && this.subscribed) {
        this.syncing = false;
        // While slowed down the notice stays: the outbox is not drained yet.
        if (!this.slowDownTimer) this.error = null;
        this.lastSyncAt = new Date().toISOString();
        this.setState('online');
      }
    } catch (err) {
      this.syncing = false;
      this.needPush = true;
      this.needPull = true;
      if (err instanceof RateLimitedError) return this.slowDown(err);
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

  private pushAllowed(): boolean {
    return this.needPush && this.slowDownTimer === null;
  }

  /**
   * The hub refused a push as over its budget: nothing was written, so every event stays in the
   * outbox. Pushing resumes after the wait it asked for; pulls go on meanwhile (the pump is
   * kicked again when this round ends, since needPull is set), and the status says why.
   */
  private slowDown(err: RateLimitedError): void {
    const wait = slowDownDelay(err.retryAfterMs, this.opts.maxSlowDownMs);
    this.error = { code: err.code, message: slowDownMessage(wait, err.message) };
    if (this.slowDownTimer) clearTimeout(this.slowDownTimer);
    this.slowDownTimer = setTimeout(() => {
      this.slowDownTimer = null;
      this.kick(true, false);
    }, wait);
    this.announce();
  }

  /** The engine's own requests (and, once linked, services'): never while disconnected. */
  private async send(name: string, payload: unknown): Promise<unknown> {
    const socket = this.socket;
    if (!socket?.connected) throw new ConnError('unavailable', `not connected to the hub at ${this.nodeUrl}`);
    return hubRequest(socket, name, payload, this.opts.requestTimeoutMs);
  }

  private async subscribe(): Promise<void> {
    const ack: SubscribeAck = SubscribeAckSchema.parse(await this.send(HUB_EVENTS.subscribe, { incidentId: this.opts.incidentId ?? null }));
    adoptTeam(this.core.db, ack.team);
    // Who the hub says we are: the cockpit applies the authority rule as this member from now on.
    rememberMember(this.core.db, ack.member);
    this.member = { id: ack.member.id, name: ack.member.name };
    // A newer hub is no reason to stop: having accepted our handshake, it speaks our version.
    this.hubProtocol = ack.protocol ?? UNVERSIONED_PROTOCOL;
    this.hubPullEvents = ack.pullEvents ?? HUB_LIMITS.pullEvents;
    this.head = ack.head;
    this.subscribed = true;
    if (!this.linked && this.socket?.connected) {
      this.linked = true;
      const waiting = this.waitingForLink;
      this.waitingForLink = [];
      for (const w of waiting) w.resolve();
      this.emitter.emit('ready');
    }
  }

  private async pushAll(): Promise<void> {
    const total = pendingCount(this.core.db);
    let done = 0;
    for (;;) {
      const batch = readOutbox(this.core.db, this.opts.pageSize ?? HUB_LIMITS.pushEvents, HUB_LIMITS.messageBytes / 2);
      if (batch.events.length === 0) return;
      const ack = PushAckSchema.parse(await this.send(HUB_EVENTS.push, { events: batch.events }));
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
    const limit = this.opts.pageSize ?? Math.min(this.hubPullEvents, HUB_LIMITS.pullEventsMax);
    // Bodies as JSON text: the hub sends what it stored without parsing it, and parseEvent reads it once.
    const pull = (after: number) => this.send(HUB_EVENTS.pull, { after, limit, bodies: 'json' }).then((r) => PullResponseSchema.parse(r));
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
