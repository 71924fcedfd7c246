import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';
import { ConnError } from '../../shared/domain/errors.js';
import { parseEvent, tooLargeMessage, type ConnEvent } from '../../shared/domain/events.js';
import { LIMITS, serialisedBytes } from '../../shared/domain/limits.js';
import { parseHlc } from '../../shared/sync/hlc.js';
import {
  HandshakeAuthSchema,
  HUB_EVENTS,
  HUB_LIMITS,
  PullRequestSchema,
  PushRequestSchema,
  SubscribeRequestSchema,
  type HubErrorCode,
  type HubFailure,
  type PresenceBroadcast,
  type PullResponse,
  type PushAck,
  type SubscribeAck,
  type EventsBroadcast,
} from '../../shared/sync/protocol.js';
import type { CommitResult, HubStore, Member } from '../store/store.js';
import { HubMetrics } from './metrics.js';
import { httpRoutes, listenForMetrics, type MetricsAccess } from './http-routes.js';
import { PushLimiter, type PushLimits, type RateRefusal } from './rate-limit.js';
import { AuthThrottle, clientAddress, type AuthLimits } from './sign-in-throttle.js';
import { serveRunbooks } from '../runbooks/runbook-share.js';
import { serveProfiles } from '../profiles/profile-share.js';
import { ackFor, clientProtocol, errorFor, protocolRange } from './compat.js';
import type { HubRunbookStore } from '../runbooks/runbook-store.js';
import { serveDeliveries, startHubDeliverer } from '../updates/delivery-share.js';
import type { Deliverer, DelivererOptions } from '../updates/deliverer.js';

/*
 * The hub: http (health, metrics) + socket.io (push, pull, subscribe). It authenticates each
 * connection, re-reads the member on every request (so `conn hub revoke` bites at once, even
 * from another process), authorises every event with the authority rule (shared/domain/authority.ts, via store/commit.ts),
 * commits through the store, and broadcasts only after the commit. Failed sign-ins and pushes
 * over a member's or team's budget are refused as 'rate-limited' (sign-in-throttle.ts,
 * rate-limit.ts). A client whose protocol version it does not serve is refused at connect as
 * 'incompatible', and every other client is answered in its own version (compat.ts).
 */

export interface HubOptions {
  store: HubStore;
  port?: number;
  host?: string;
  /** Several nodes share broadcasts and presence through Redis Streams. */
  redis?: { url: string; streamName?: string };
  /** How often connected sockets are checked for revoked tokens. */
  revocationCheckMs?: number;
  maxClockAheadMs?: number;
  /** Requests one socket may have waiting; beyond it the hub answers 'unavailable' at once. */
  maxQueuedPerSocket?: number;
  now?: () => number;
  /** Runs after a commit and before its broadcast. Crash tests make the process exit here. */
  afterCommit?: (result: CommitResult) => void;
  log?: (line: string) => void;
  /** Runbook sharing (server/runbooks/); without it the hub answers runbook requests 'unavailable'. */
  runbooks?: HubRunbookStore;
  /** Who may read /metrics, and where (http-routes.ts). */
  metricsAccess?: MetricsAccess;
  /** Events per second per member and per team, bytes per day per team, on this node (rate-limit.ts). */
  pushLimits?: Partial<PushLimits>;
  /** Failed sign-ins per address and per connection before attempts are refused unchecked. */
  authLimits?: Partial<AuthLimits>;
  /** Behind a reverse proxy: sign-in limits count per X-Forwarded-For client (see clientAddress). */
  trustProxy?: boolean;
  /** The oldest client protocol this hub serves (default HUB_MIN_CLIENT_PROTOCOL); older ones are refused as 'incompatible'. */
  minClientProtocol?: number;
  /** For tests: the protocol this hub claims to speak (default HUB_PROTOCOL_VERSION). */
  protocolVersion?: number;
  /** Stakeholder-update delivery (server/updates/deliverer.ts): timeouts and backoff; false runs no deliverer on this node. */
  delivery?: Partial<Omit<DelivererOptions, 'queue' | 'onSettled'>> | false;
}

export interface Hub {
  readonly url: string;
  readonly port: number;
  readonly host: string;
  readonly metrics: HubMetrics;
  /** The separate metrics listener's address, when there is one. */
  readonly metricsUrl: string | undefined;
  readonly io: Server;
  /** Stops accepting, lets commits in flight finish, closes sockets, the store and Redis. */
  close(): Promise<void>;
}

interface SocketState {
  member: Member;
  /** The protocol the client speaks (1 when its handshake named none): every answer is in it (compat.ts). */
  protocol: number;
  incidentId: string | null;
  queued: number;
  chain: Promise<unknown>;
}

const teamRoom = (teamId: string) => `team:${teamId}`;
const incidentRoom = (teamId: string, incidentId: string) => `incident:${teamId}:${incidentId}`;

function failure(code: HubErrorCode, message: string): HubFailure {
  return { error: { code, message } };
}

function failureFrom(err: unknown): HubFailure {
  if (err instanceof ConnError) {
    const code = (['unauthenticated', 'forbidden', 'not-found', 'invalid-input', 'too-large', 'clock-drift', 'conflict', 'unavailable'] as const).find((c) => c === err.code);
    return failure(code ?? 'internal', err.message);
  }
  return failure('internal', `the hub failed to handle the request (${err instanceof Error ? err.message : String(err)}); it is safe to retry`);
}

function idOf(raw: unknown): string {
  const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? id.slice(0, 64) : '';
}

/** An error that refuses a socket.io connection; the client gets `data` in connect_error. */
function refusal(code: HubErrorCode, message: string, retryAfterMs?: number): Error {
  return Object.assign(new Error(message), { data: retryAfterMs === undefined ? { code, message } : { code, message, retryAfterMs } });
}

function rateLimited(r: RateRefusal): HubFailure {
  return { error: { code: 'rate-limited', message: r.message, retryAfterMs: r.retryAfterMs } };
}

export async function createHub(opts: HubOptions): Promise<Hub> {
  const { store } = opts;
  const now = opts.now ?? Date.now;
  const log = opts.log ?? (() => undefined);
  const maxAhead = opts.maxClockAheadMs ?? HUB_LIMITS.maxClockAheadMs;
  const maxQueued = opts.maxQueuedPerSocket ?? 1024;
  const metrics = new HubMetrics(now);
  const pushLimiter = new PushLimiter(opts.pushLimits, now);
  const authThrottle = new AuthThrottle(opts.authLimits, now);
  const protocols = protocolRange(opts);
  const inflight = new Set<Promise<unknown>>();
  let closing = false;
  // Started once the hub listens (below); a commit before then is picked up by its first look.
  let deliverer: Deliverer | undefined;

  const access = opts.metricsAccess ?? {};
  const routes = { metrics, closing: () => closing, storeKind: store.kind };
  const server = http.createServer(httpRoutes(routes, access, !access.listener));

  let redis: ReturnType<typeof createClient> | undefined;
  const io = new Server(server, { serveClient: false, maxHttpBufferSize: HUB_LIMITS.messageBytes, cors: { origin: false } });
  if (opts.redis) {
    redis = createClient({ url: opts.redis.url });
    redis.on('error', (err: Error) => log(`redis: ${err.message}`));
    await redis.connect();
    io.adapter(createAdapter(redis, { streamName: opts.redis.streamName ?? 'conn-hub' }));
  }

  io.use((socket, next) => {
    // Before anything else, so that every refusal below is in words this client can read.
    const version = clientProtocol(protocols, socket.handshake.auth);
    if ('refused' in version) {
      // Not a failed sign-in: the token was never looked at, and retrying cannot help either side.
      metrics.incompatible[version.upgrade] += 1;
      return next(refusal(version.refused.code, version.refused.message));
    }
    const { protocol } = version;
    const refuse = (code: HubErrorCode, message: string, retryAfterMs?: number): void => {
      const e = errorFor(protocol, retryAfterMs === undefined ? { code, message } : { code, message, retryAfterMs });
      next(refusal(e.code, e.message, e.retryAfterMs));
    };
    if (closing) return refuse('unavailable', 'the hub is shutting down; Conn will reconnect when it is back');
    // Guessing tokens costs the guesser time: past a few failures the token is not even looked at.
    const address = clientAddress(socket.handshake.address, socket.handshake.headers['x-forwarded-for'], opts.trustProxy ?? false);
    const gate = authThrottle.begin(address, socket.conn);
    if ('refused' in gate) {
      metrics.limited(gate.refused.kind);
      return refuse('rate-limited', gate.refused.message, gate.refused.retryAfterMs);
    }
    const { attempt } = gate;
    const deny = (message: string) => {
      attempt.failed();
      metrics.authFailures += 1;
      refuse('unauthenticated', message);
    };
    const auth = HandshakeAuthSchema.safeParse(socket.handshake.auth);
    if (!auth.success) return deny('no hub token was sent: run `conn connect HUB_URL --token TOKEN` with the token an admin gave you');
    metrics
      .time(() => store.authenticate(auth.data.token))
      .then((member) => {
        if (!member) return deny('the hub does not recognise this token: ask a team admin for a new invite (`conn hub invite`)');
        if (member.revoked) return deny(`the token of ${member.name} in team "${member.team}" was revoked: ask a team admin for a new invite`);
        attempt.succeeded();
        const state: SocketState = { member, protocol, incidentId: null, queued: 0, chain: Promise.resolve() };
        socket.data = state;
        next();
      })
      .catch((err: unknown) => {
        attempt.abandoned();
        refuse('unavailable', `the hub could not check the token (${err instanceof Error ? err.message : String(err)}); retry shortly`);
      });
  });

  async function announcePresence(teamId: string, incidentId: string): Promise<void> {
    const sockets = await io.in(incidentRoom(teamId, incidentId)).fetchSockets();
    const seen = new Map<string, string>();
    for (const s of sockets) {
      const m = (s.data as SocketState).member;
      seen.set(m.id, m.name);
    }
    const msg: PresenceBroadcast = {
      incidentId,
      members: [...seen].map(([memberId, name]) => ({ memberId, name })).sort((a, b) => a.name.localeCompare(b.name)),
    };
    io.to(teamRoom(teamId)).emit(HUB_EVENTS.presence, msg);
  }

  async function push(member: Member, payload: unknown): Promise<PushAck | HubFailure> {
    const req = PushRequestSchema.safeParse(payload);
    if (!req.success) return failure('invalid-input', `push: ${req.error.issues[0]?.message ?? 'malformed request'}`);
    // Before any event is looked at: a push over budget is refused whole and costs nothing more.
    const limited = pushLimiter.admit(member, req.data.events);
    if (limited) {
      metrics.limited(limited.kind);
      return rateLimited(limited);
    }
    const rejected: PushAck['rejected'] = [];
    const valid: ConnEvent[] = [];
    for (const raw of req.data.events) {
      const id = idOf(raw);
      const bytes = serialisedBytes(raw);
      if (bytes > LIMITS.eventBytes) {
        rejected.push({ id, code: 'too-large', message: tooLargeMessage(bytes) });
        continue;
      }
      let e: ConnEvent;
      try {
        e = parseEvent(raw);
      } catch (err) {
        rejected.push({ id, code: 'invalid-input', message: err instanceof Error ? err.message : 'invalid event' });
        continue;
      }
      const ahead = parseHlc(e.hlc).wall - now();
      if (ahead > maxAhead) {
        rejected.push({ id, code: 'clock-drift', message: `event is stamped ${Math.round(ahead / 1000)}s ahead of the hub's clock (limit ${maxAhead / 1000}s); fix the sender's system time` });
        continue;
      }
      valid.push(e);
    }
    let result: CommitResult = { accepted: [], rejected: [], committed: [], head: 0 };
    if (valid.length) {
      result = await metrics.time(() => store.commit(member, valid));
      metrics.committed(result.committed.length);
      opts.afterCommit?.(result);
      if (result.committed.some((c) => (c.event as ConnEvent).kind === 'update.posted')) deliverer?.wake();
      if (result.committed.length) {
        const msg: EventsBroadcast = { from: result.committed[0]!.seq, to: result.committed[result.committed.length - 1]!.seq, events: result.committed };
        io.to(teamRoom(member.teamId)).emit(HUB_EVENTS.events, msg);
      }
    } else {
      result.head = await store.head(member.teamId);
    }
    const allRejected = [...rejected, ...result.rejected];
    metrics.eventsRejected += allRejected.length;
    return { accepted: result.accepted, rejected: allRejected, head: result.head };
  }

  async function pull(member: Member, payload: unknown): Promise<PullResponse | HubFailure> {
    const req = PullRequestSchema.safeParse(payload);
    if (!req.success) return failure('invalid-input', `pull: ${req.error.issues[0]?.message ?? 'malformed request'}`);
    const page = await metrics.time(() => store.pull(member.teamId, req.data.after, req.data.limit));
    const last = page.events[page.events.length - 1]?.seq ?? req.data.after;
    return { events: page.events, head: page.head, more: last < page.head };
  }

  async function subscribe(socket: Socket, member: Member, payload: unknown): Promise<SubscribeAck | HubFailure> {
    const req = SubscribeRequestSchema.safeParse(payload ?? {});
    if (!req.success) return failure('invalid-input', `subscribe: ${req.error.issues[0]?.message ?? 'malformed request'}`);
    const state = socket.data as SocketState;
    // Incident ids are a team's own namespace: subscribing to any id only ever joins this team's room.
    const incidentId = req.data.incidentId ?? null;
    await socket.join(teamRoom(member.teamId));
    const previous = state.incidentId;
    if (previous !== incidentId) {
      if (previous) await socket.leave(incidentRoom(member.teamId, previous));
      if (incidentId) await socket.join(incidentRoom(member.teamId, incidentId));
      state.incidentId = incidentId;
      if (previous) await announcePresence(member.teamId, previous);
      if (incidentId) await announcePresence(member.teamId, incidentId);
    }
    return { team: member.team, member: { id: member.id, name: member.name, role: member.role }, head: await store.head(member.teamId), protocol: protocols.speaks };
  }

  /**
   * Every request runs through here: one at a time per socket (so a flooding client holds one
   * place in the store's queue, not ten thousand), with the member re-read first.
   */
  function serve(socket: Socket, kind: string, handler: (member: Member, payload: unknown) => Promise<unknown>): void {
    socket.on(kind, (payload: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return; // every request needs an ack; without one there is nobody to answer
      const state = socket.data as SocketState;
      // Every answer in the client's own protocol version (compat.ts).
      const reply = (r: unknown): void => (ack as (r: unknown) => void)(ackFor(state.protocol, r));
      metrics.request(kind);
      if (closing) return reply(failure('unavailable', 'the hub is shutting down; retry when it is back'));
      if (state.queued >= maxQueued) return reply(failure('unavailable', `more than ${maxQueued} requests are waiting on this connection; wait for acks before sending more`));
      state.queued += 1;
      const job = state.chain
        .then(async () => {
          // With a backlog on this socket, yield to the event loop between its requests: the store
          // answers synchronously, so the backlog would otherwise drain as one long microtask chain
          // and starve every other socket. (A lone request needs no yield and pays no latency.)
          if (state.queued > 1) await new Promise((resolve) => setImmediate(resolve));
          const member = await metrics.time(() => store.member(state.member.id));
          if (!member || member.revoked) {
            reply(failure('unauthenticated', 'this token was revoked: ask a team admin for a new invite'));
            socket.disconnect(true);
            return;
          }
          state.member = member;
          reply(await handler(member, payload));
        })
        .catch((err: unknown) => {
          log(`${kind} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
          reply(failureFrom(err));
        })
        .finally(() => {
          state.queued -= 1;
          inflight.delete(job);
        });
      state.chain = job;
      inflight.add(job);
    });
  }

  io.on('connection', (socket) => {
    const state = socket.data as SocketState;
    metrics.connections += 1;
    void socket.join(teamRoom(state.member.teamId));
    serve(socket, HUB_EVENTS.push, push);
    serve(socket, HUB_EVENTS.pull, pull);
    serve(socket, HUB_EVENTS.subscribe, (member, payload) => subscribe(socket, member, payload));
    serveRunbooks((kind, handler) => serve(socket, kind, handler), io, opts.runbooks, teamRoom);
    serveProfiles((kind, handler) => serve(socket, kind, handler), io, store, teamRoom);
    serveDeliveries((kind, handler) => serve(socket, kind, handler), store);
    socket.on('disconnect', () => {
      metrics.connections -= 1;
      if (state.incidentId && !closing) announcePresence(state.member.teamId, state.incidentId).catch(() => undefined);
    });
  });

  // Revocation also cuts idle sockets, not only the next request.
  const sweep = setInterval(() => {
    const sockets = [...io.of('/').sockets.values()];
    const ids = new Set(sockets.map((s) => (s.data as SocketState).member.id));
    void Promise.all(
      [...ids].map(async (id) => {
        const m = await store.member(id).catch(() => undefined);
        if (m === undefined || (m && !m.revoked)) return;
        for (const s of sockets) if ((s.data as SocketState).member.id === id) s.disconnect(true);
      }),
    );
  }, opts.revocationCheckMs ?? 2000);
  sweep.unref();

  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const metricsListener = await listenForMetrics(routes, access).catch(async (err: unknown) => {
    clearInterval(sweep);
    await new Promise<void>((resolve) => void io.close(() => resolve()));
    if (redis) await redis.quit().catch(() => undefined);
    throw err;
  });

  if (opts.delivery !== false) deliverer = startHubDeliverer(io, store, teamRoom, { log, ...opts.delivery });

  return {
    url: `http://${shownHost}:${port}`,
    port,
    host,
    metrics,
    metricsUrl: metricsListener?.url,
    io,
    async close() {
      if (closing) return;
      closing = true;
      clearInterval(sweep);
      // Commits already running finish and are acked; new requests were refused above.
      await Promise.allSettled([...inflight]);
      await deliverer?.stop();
      // Disconnect each socket gracefully first: that waits for its last packets (those acks) to
      // drain, whereas io.close() alone discards anything still buffered.
      io.local.disconnectSockets(true);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await new Promise<void>((resolve) => void io.close(() => resolve()));
      await metricsListener?.close();
      await store.close();
      await opts.runbooks?.close();
      if (redis) await redis.quit().catch(() => undefined);
    },
  };
}
