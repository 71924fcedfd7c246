import { io, type Socket } from 'socket.io-client';
import { ConnError, type ErrorCode } from '../../../shared/domain/errors.js';
import { HUB_EVENTS, HUB_PROTOCOL_VERSION, isHubFailure, SubscribeAckSchema, type HandshakeAuth, type HubErrorData, type SubscribeAck } from '../../../shared/sync/protocol.js';
import { hubNodes, type HubConnection } from './connection.js';
import { RateLimitedError } from './slow-down.js';

/*
 * What a hub's answers mean on this side, in one place: the sync engine, the one-shot requests
 * (runbook publish and pull) and `conn connect`'s check all read refusals the same way, so a
 * revoked token is exit 5 with the hub's sentence whichever of them met it first.
 */

const CLIENT_CODES: Record<HubErrorData['code'], ErrorCode> = {
  unauthenticated: 'unauthenticated',
  forbidden: 'forbidden',
  'not-found': 'not-found',
  'invalid-input': 'invalid-input',
  'too-large': 'too-large',
  'clock-drift': 'clock-drift',
  conflict: 'conflict',
  unavailable: 'unavailable',
  'rate-limited': 'rate-limited',
  incompatible: 'incompatible',
  internal: 'internal',
};

/** A hub's refusal (a failed ack, or a refused connection's data) as the error the rest of Conn handles. */
export function hubError(data: { code?: string | undefined; message: string; retryAfterMs?: number | undefined }, fallback: ErrorCode = 'internal'): ConnError {
  // Over the hub's budget: nothing was written; the same request fits after retryAfterMs.
  if (data.code === 'rate-limited') return new RateLimitedError(data.message, data.retryAfterMs);
  return new ConnError(CLIENT_CODES[data.code as HubErrorData['code']] ?? fallback, data.message);
}

/**
 * Why a socket did not connect. `busy`: the hub answered but cannot take us now (shutting down,
 * its store did not answer); try again later. `refused`: it refused the token, or our protocol
 * version ('incompatible': its sentence says whether Conn or the hub needs upgrading); trying
 * again as we are cannot help. `unreachable`: no hub answered at all (down, wrong address, no
 * network).
 */
export interface ConnectFailure {
  kind: 'busy' | 'refused' | 'unreachable' | 'slow-down';
  error: ConnError;
  /** With 'slow-down': how long the hub asked us to wait (too many failed sign-ins from here). */
  retryAfterMs?: number | undefined;
}

export function connectFailure(err: Error & { data?: unknown }, url: string): ConnectFailure {
  const data = err.data as Partial<HubErrorData> | undefined;
  if (data?.code === 'rate-limited' && data.message) {
    return { kind: 'slow-down', error: hubError({ code: data.code, message: data.message }), retryAfterMs: data.retryAfterMs };
  }
  if (data?.code && data.message) {
    return { kind: data.code === 'unavailable' ? 'busy' : 'refused', error: hubError({ code: data.code, message: data.message }, 'unauthenticated') };
  }
  return { kind: 'unreachable', error: new ConnError('unavailable', `cannot reach the hub at ${url} (${err.message})`) };
}

/**
 * The socket every hub connection uses: the token and our protocol version as socket.io's auth
 * (HandshakeAuthSchema), websocket only. The engine's socket is the cockpit's one connection;
 * only one-shot commands open another, for as long as the command runs (withHub).
 */
export function hubSocket(conn: HubConnection, opts: { reconnect: boolean; timeoutMs: number; reconnectDelayMs?: number; reconnectDelayMaxMs?: number }): Socket {
  const auth: HandshakeAuth = { token: conn.token, protocol: HUB_PROTOCOL_VERSION };
  return io(conn.url, {
    auth,
    transports: ['websocket'],
    reconnection: opts.reconnect,
    ...(opts.reconnectDelayMs !== undefined ? { reconnectionDelay: opts.reconnectDelayMs } : {}),
    ...(opts.reconnectDelayMaxMs !== undefined ? { reconnectionDelayMax: opts.reconnectDelayMaxMs } : {}),
    // ±50% jitter on every backoff step, so a team's cockpits do not reconnect in lockstep.
    randomizationFactor: 0.5,
    timeout: opts.timeoutMs,
  });
}

/** Sends one request and waits for its ack; a failed ack becomes the hub's error. */
export async function hubRequest(socket: Socket, name: string, payload: unknown, timeoutMs: number): Promise<unknown> {
  const ack: unknown = await socket.timeout(timeoutMs).emitWithAck(name, payload);
  if (isHubFailure(ack)) throw hubError(ack.error);
  return ack;
}

/**
 * hubRequest on a socket that never reconnects: a lost connection fails the request at once
 * with 'unavailable' (its ack can never come: acks belong to one connection), instead of after
 * the whole timeout; and a socket already lost is never emitted on (socket.io would buffer it).
 */
export async function hubRequestUntilLost(socket: Socket, name: string, payload: unknown, timeoutMs: number): Promise<unknown> {
  if (!socket.connected) throw new ConnError('unavailable', `lost the connection to the hub before "${name}" was sent`);
  let onLost: ((reason: string) => void) | undefined;
  const lost = new Promise<never>((_, reject) => {
    onLost = (reason) => reject(new ConnError('unavailable', `lost the connection to the hub (${reason}) before it answered "${name}"`));
    socket.once('disconnect', onLost);
  });
  try {
    return await Promise.race([hubRequest(socket, name, payload, timeoutMs), lost]);
  } finally {
    socket.off('disconnect', onLost);
  }
}

/**
 * Connects once, runs `fn` with a request function, and disconnects. With several nodes it tries
 * each in turn until one answers (a refusal is the hub's verdict, so it ends the tries). Rejects
 * with the hub's refusal, or 'unavailable' (plus `unreachableHint`) when no node answered.
 */
export async function withHub<T>(
  conn: HubConnection,
  timeoutMs: number,
  fn: (request: (name: string, payload: unknown) => Promise<unknown>) => Promise<T>,
  unreachableHint = '',
): Promise<T> {
  const nodes = hubNodes(conn.url);
  let socket: Socket | undefined;
  let lastUnreachable: ConnError | undefined;
  try {
    for (const url of nodes) {
      const attempt = hubSocket({ url, token: conn.token }, { reconnect: false, timeoutMs });
      const failure = await new Promise<ConnectFailure | null>((resolve) => {
        attempt.once('connect', () => resolve(null));
        attempt.once('connect_error', (err: Error & { data?: unknown }) => resolve(connectFailure(err, url)));
      });
      if (!failure) {
        socket = attempt;
        break;
      }
      attempt.disconnect();
      if (failure.kind === 'refused' || failure.kind === 'slow-down') throw failure.error;
      lastUnreachable = failure.error;
    }
    if (!socket) {
      const e = lastUnreachable ?? new ConnError('unavailable', `cannot reach the hub at ${conn.url}`);
      const all = nodes.length > 1 ? ` (none of its ${nodes.length} nodes answered)` : '';
      throw new ConnError(e.code, `${e.message}${all}${unreachableHint}`);
    }
    const connected = socket;
    return await fn((name, payload) => hubRequestUntilLost(connected, name, payload, timeoutMs));
  } finally {
    socket?.disconnect();
  }
}

/**
 * Asks the hub who this token belongs to, the way the engine starts every connection: the
 * handshake checks the token, and a subscribe (to no incident) answers with the team and the
 * member. Nothing is written here or on the hub.
 */
export function probeHub(conn: HubConnection, timeoutMs = 10_000): Promise<SubscribeAck> {
  return withHub(conn, timeoutMs, async (request) => {
    let ack: unknown;
    try {
      ack = await request(HUB_EVENTS.subscribe, { incidentId: null });
    } catch (err) {
      if (err instanceof ConnError) throw err;
      throw new ConnError('unavailable', `the hub at ${conn.url} did not answer in time (${err instanceof Error ? err.message : String(err)})`);
    }
    const parsed = SubscribeAckSchema.safeParse(ack);
    if (!parsed.success) throw new ConnError('unavailable', `the server at ${conn.url} does not answer the way a Conn hub does: check the address`);
    return parsed.data;
  });
}
