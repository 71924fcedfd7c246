import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';
import { ConnError } from '../../shared/domain/errors.js';
import { parseEvent, tooLargeMessage, type ConnEvent } from '../../shared/domain/events.js';
import { LIMITS, serialisedBytes } from '../../shared/domain/limits.js';
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
import { serveTeamSettings } from '../team-settings/team-settings-share.js';
import { ackFor, clientProtocol, errorFor, protocolRange } from './compat.js';
import type { HubRunbookStore } from '../runbooks/runbook-store.js';
import { alertRoutes, ALERTS_PATH, type AlertLimits } from '../alerts/alert-http.js';
import { formatHlc, parseHlc, tick, type HlcState } from '../../shared/sync/hlc.js';
import { serveDeliveries, startHubDeliverer } from '../updates/delivery-share.js';
import type { Deliverer, DelivererOptions } from '../updates/deliverer.js';
import { startRecordings, type RecordingOptions } from '../recordings/recording-share.js';

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
  /** How often a node whose Redis link is down relays other nodes' events from the store (ms). */
  relayIntervalMs?: number;
  /** How often connected sockets are checked for revoked tokens. */
  revocationCheckMs?: number;
  maxClockAheadMs?: number;
  /** Requests one socket may have waiting; beyond it the hub answers 'unavailable' at once. */
  maxQueuedPerSocket?: number;
  now?: () => number;
  /** Runs after a commit and before its broadcast. Crash tests make the process exit here. */
  afterCommit?: (result: CommitResult) => void;
  log?: (line: string) => void;
  /**
   * Structured request logs (pino's shape): one line per push, with a request id, the member,
   * what was accepted and how long it took; pulls and subscribes at debug. `conn hub serve`
   * passes pino writing JSON lines to stderr.
   */
  logger?: RequestLogger;
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
  /** Posts per integration at /alerts/ (server/alerts/alert-http.ts). */
  alertLimits?: Partial<AlertLimits>;
  /** Stakeholder-update delivery (server/updates/deliverer.ts): timeouts and backoff; false runs no deliverer on this node. */
  delivery?: Partial<Omit<DelivererOptions, 'queue' | 'onSettled'>> | false;
  /** Shared call recordings (server/recordings/): the per-team quota, the retention and how often it is swept. */
  recordings?: Partial<RecordingOptions>;
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
/**
 * The team's sockets that subscribed: only they get the timeline's events. A connection that
 * only pushes or pulls (`conn sync`, a share upload) is in the team room for its other news but
 * is not sent every event the team commits.
 */
const subscribersRoom = (teamId: string) => `events:${teamId}`;
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

/** What the hub needs of a logger; pino's Logger has it. */
export interface RequestLogger {
  info(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** The one line a request's log says about its outcome: counts and codes, never event contents. */
function outcome(kind: string, r: unknown): Record<string, unknown> {
  if (r && typeof r === 'object' && 'error' in r) return { error: (r as HubFailure).error.code };
  if (kind === HUB_EVENTS.push && r && typeof r === 'object' && 'accepted' in r) {
    const ack = r as PushAck;
    return { accepted: ack.accepted.length, rejected: ack.rejected.length, head: ack.head };
  }
  if (kind === HUB_EVENTS.pull && r && typeof r === 'object' && 'events' in r) return { events: (r as PullResponse).events.length };
  return {};
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
  /** Names this node in request ids, so ids from two nodes in one log pipeline never collide. */
  const nodeId = randomBytes(3).toString('hex');
  let requestCounter = 0;
  let closing = false;
  // Started once the hub listens (below); a commit before then is picked up by its first look.
  let deliverer: Deliverer | undefined;

  const access = opts.metricsAccess ?? {};
  let redis: ReturnType<typeof createClient> | undefined;
  const routes = {
    metrics,
    closing: () => closing,
    storeKind: store.kind,
    redis: () => (redis ? (redis.isReady ? 'up' : 'down') : 'none') as 'none' | 'up' | 'down',
    storeAnswers: async () => void (await store.head('readiness-check')),
  };
  const plainRoutes = httpRoutes(routes, access, !access.listener);
  // The hub's own clock, for the events it writes itself (alerts): never goes backwards.
  let clock: HlcState = { wall: 0, counter: 0 };
  const alerts = alertRoutes({
    store,
    metrics,
    now,
    stamp: () => formatHlc((clock = tick(clock, now()))),
    broadcast: (teamId, committed) => broadcastCommitted(teamId, committed),
    closing: () => closing,
    log,
    limits: opts.alertLimits,
  });
  const server = http.createServer((req, res) => {
    if (!(req.url ?? '').startsWith(ALERTS_PATH)) return plainRoutes(req, res);
    // An alert post is a commit like a push: close() waits for it.
    const job = alerts(req, res).finally(() => inflight.delete(job));
    inflight.add(job);
  });

  const io = new Server(server, { serveClient: false, maxHttpBufferSize: HUB_LIMITS.messageBytes, cors: { origin: false } });
  if (opts.redis) {
    redis = createClient({ url: opts.redis.url });
    // Redis only carries broadcasts between nodes; the store is the truth. So a node starts and
    // keeps serving without it (node-redis reconnects by itself, and queues what it could not
    // send): only the first connection is waited for, and not for long.
    let lastRedisError = '';
    redis.on('error', (err: Error) => {
      // Reconnect attempts fail every second or so while Redis is down: log each new reason once.
      if (err.message !== lastRedisError) log(`redis: ${err.message}`);
      lastRedisError = err.message;
    });
    redis.on('ready', () => {
      lastRedisError = '';
      log('redis: connected');
    });
    const connected = redis.connect().catch((err: unknown) => log(`redis: ${err instanceof Error ? err.message : String(err)}`));
    await Promise.race([connected, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
    io.adapter(createAdapter(redis, { streamName: opts.redis.streamName ?? 'conn-hub' }));
  }
  const redisUp = (): boolean => redis?.isReady ?? true;
  const recordings = startRecordings({ store, metrics, now, log, broadcast: (teamId, event, msg) => void toTeam(teamId).emit(event, msg) }, opts.recordings);

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
    // Across nodes through Redis; with Redis down, this node's own sockets (a partial answer now
    // beats a subscribe that waits out the adapter's request timeout).
    const room = incidentRoom(teamId, incidentId);
    const sockets = redisUp() ? (await io.in(room).fetchSockets()).map((s) => s.data as SocketState) : localMembersIn(room);
    const seen = new Map<string, string>();
    for (const { member: m } of sockets) seen.set(m.id, m.name);
    const msg: PresenceBroadcast = {
      incidentId,
      members: [...seen].map(([memberId, name]) => ({ memberId, name })).sort((a, b) => a.name.localeCompare(b.name)),
    };
    toTeam(teamId).emit(HUB_EVENTS.presence, msg);
  }

  /**
   * A team's sockets on every node; with Redis down, on this node only. (The Redis adapter
   * delivers even its local copy only after Redis took the message, so while Redis is down a
   * plain broadcast would reach nobody until it is back.)
   */
  function toTeam(teamId: string, room = teamRoom(teamId)) {
    return (redisUp() ? io : io.local).to(room);
  }

  /** This node's sockets in a room, read without the adapter (whose every call asks Redis first). */
  function localMembersIn(room: string): SocketState[] {
    const nsp = io.of('/');
    return [...(nsp.adapter.rooms.get(room) ?? [])].flatMap((id) => {
      const data = nsp.sockets.get(id)?.data as SocketState | undefined;
      return data ? [data] : [];
    });
  }

  /** Committed events go to the team's room, only after their commit: a push's, or an alert post's. */
  function broadcastCommitted(teamId: string, committed: CommitResult['committed']): void {
    if (!committed.length) return;
    const msg: EventsBroadcast = { from: committed[0]!.seq, to: committed[committed.length - 1]!.seq, events: committed };
    toTeam(teamId, subscribersRoom(teamId)).emit(HUB_EVENTS.events, msg);
    relay.sent(teamId, msg.to);
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
      broadcastCommitted(member.teamId, result.committed);
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
    const page = await metrics.time(() => store.pull(member.teamId, req.data.after, req.data.limit, { maxBytes: HUB_LIMITS.messageBytes, json: req.data.bodies === 'json' }));
    const last = page.events[page.events.length - 1]?.seq ?? req.data.after;
    return { events: page.events, head: page.head, more: last < page.head };
  }

  async function subscribe(socket: Socket, member: Member, payload: unknown): Promise<SubscribeAck | HubFailure> {
    const req = SubscribeRequestSchema.safeParse(payload ?? {});
    if (!req.success) return failure('invalid-input', `subscribe: ${req.error.issues[0]?.message ?? 'malformed request'}`);
    const state = socket.data as SocketState;
    // Incident ids are a team's own namespace: subscribing to any id only ever joins this team's room.
    const incidentId = req.data.incidentId ?? null;
    await socket.join([teamRoom(member.teamId), subscribersRoom(member.teamId)]);
    const previous = state.incidentId;
    if (previous !== incidentId) {
      if (previous) await socket.leave(incidentRoom(member.teamId, previous));
      if (incidentId) await socket.join(incidentRoom(member.teamId, incidentId));
      state.incidentId = incidentId;
      // Presence is a courtesy: a failure to tell it never fails the subscribe.
      const tell = (id: string) => announcePresence(member.teamId, id).catch((err: unknown) => log(`presence: ${err instanceof Error ? err.message : String(err)}`));
      if (previous) await tell(previous);
      if (incidentId) await tell(incidentId);
    }
    return { team: member.team, member: { id: member.id, name: member.name, role: member.role }, head: await store.head(member.teamId), protocol: protocols.speaks, pullEvents: HUB_LIMITS.pullEventsMax };
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
      // A request id per request, in every line logged about it, to follow one push through.
      const reqId = `${nodeId}-${(requestCounter += 1).toString(36)}`;
      const started = performance.now();
      const logged = (r: unknown): void => {
        reply(r);
        if (!opts.logger) return;
        const line = { reqId, kind, team: state.member.team, member: state.member.name, ms: Math.round((performance.now() - started) * 10) / 10, ...outcome(kind, r) };
        if (kind === HUB_EVENTS.push) opts.logger.info(line, 'push');
        else opts.logger.debug(line, kind);
      };
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
          logged(await handler(member, payload));
        })
        .catch((err: unknown) => {
          opts.logger?.warn({ reqId, kind, err: err instanceof Error ? err.message : String(err) }, 'request failed');
          log(`${kind} ${reqId} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
          logged(failureFrom(err));
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
    recordings.serve((kind, handler) => serve(socket, kind, handler));
    serveTeamSettings((kind, handler) => serve(socket, kind, handler), io, store, teamRoom);
    socket.on('disconnect', () => {
      metrics.connections -= 1;
      if (state.incidentId && !closing) announcePresence(state.member.teamId, state.incidentId).catch(() => undefined);
    });
  });

  const relay = redis ? startRelay() : { sent: () => undefined, stop: () => undefined };

  /**
   * While this node cannot reach Redis it hears no other node's broadcasts. Correctness never
   * depended on them (a cockpit pulls from its cursor), but a cockpit that is only listening
   * would not know to pull: so every second, for each team with sockets here, the node reads the
   * store's head and, when it moved past what its sockets were last sent, sends them the newest
   * page of events itself. A cockpit applies a page that follows its cursor and pulls for any gap.
   */
  function startRelay(): { sent(teamId: string, seq: number): void; stop(): void } {
    const lastSent = new Map<string, number>();
    let wasUp = true;
    let running = false;
    const tick = async (): Promise<void> => {
      const up = redisUp();
      metrics.redisUp = up;
      const justWentDown = wasUp && !up;
      wasUp = up;
      if (up || running || closing) return;
      running = true;
      try {
        const teams = new Set([...io.of('/').sockets.values()].map((s) => (s.data as SocketState | undefined)?.member.teamId).filter((t): t is string => t !== undefined));
        for (const teamId of teams) {
          const head = await store.head(teamId);
          const known = lastSent.get(teamId);
          // On the way down, what other nodes committed just before is unknown here: send the newest page.
          if (!justWentDown && known !== undefined && head <= known) continue;
          const after = Math.max(justWentDown || known === undefined ? head - HUB_LIMITS.pullEvents : known, 0);
          const page = await store.pull(teamId, after, HUB_LIMITS.pullEvents, { maxBytes: HUB_LIMITS.messageBytes });
          if (page.events.length === 0) continue;
          const msg: EventsBroadcast = { from: page.events[0]!.seq, to: page.events[page.events.length - 1]!.seq, events: page.events };
          io.local.to(subscribersRoom(teamId)).emit(HUB_EVENTS.events, msg);
          metrics.relayedEvents += page.events.length;
          lastSent.set(teamId, msg.to);
        }
      } catch (err) {
        log(`relay: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        running = false;
      }
    };
    const timer = setInterval(() => void tick(), opts.relayIntervalMs ?? 1000);
    timer.unref();
    metrics.redisUp = redisUp();
    return {
      sent: (teamId, seq) => lastSent.set(teamId, Math.max(lastSent.get(teamId) ?? 0, seq)),
      stop: () => clearInterval(timer),
    };
  }

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
    await recordings.stop();
    await new Promise<void>((resolve) => void io.close(() => resolve()));
    if (redis) await (redis.isReady ? redis.quit() : redis.disconnect()).catch(() => undefined);
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
      relay.stop();
      await recordings.stop();
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
      if (redis) await (redis.isReady ? redis.quit() : redis.disconnect()).catch(() => undefined);
    },
  };
}
