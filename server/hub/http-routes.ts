import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HubMetrics } from './metrics.js';

/*
 * The hub's plain-http side: /livez (the process answers), /readyz (it should be sent traffic:
 * not draining, and its store answers), /healthz (readiness with details, for people and older
 * load balancer configs) and /metrics for Prometheus. A node whose Redis link is down is still
 * ready: it serves and commits, and relays other nodes' events from the store. Metrics
 * tell anyone who can read them how busy each team is and when, so they can require a bearer
 * token, and can move to a listener of their own (say 127.0.0.1 only) that serves nothing else,
 * off the address every cockpit and the internet-facing proxy reach.
 */

export interface MetricsAccess {
  /** Scrapers must send `Authorization: Bearer TOKEN`. */
  token?: string | undefined;
  /** A separate listener for /metrics and /healthz; the main one then has no /metrics. */
  listener?: { host: string; port: number } | undefined;
}

export interface HttpRouteState {
  metrics: HubMetrics;
  closing: () => boolean;
  storeKind: string;
  /** 'none' without Redis; 'down' while this node cannot reach it. */
  redis: () => 'none' | 'up' | 'down';
  /** Resolves when the store answers a trivial query; rejects (or times out) when it does not. */
  storeAnswers: () => Promise<void>;
}

/** How long readiness waits for the store before calling this node not ready. */
const STORE_CHECK_MS = 2000;

async function readiness(state: HttpRouteState): Promise<{ ready: boolean; status: string; store: string }> {
  if (state.closing()) return { ready: false, status: 'closing', store: 'unknown' };
  try {
    await Promise.race([state.storeAnswers(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), STORE_CHECK_MS).unref())]);
    return { ready: true, status: 'ok', store: 'ok' };
  } catch {
    return { ready: false, status: 'store-unavailable', store: 'down' };
  }
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

function send(res: http.ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, ...headers });
  res.end(body);
}

/** Compares digests, so neither the token's bytes nor its length show in the response time. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer (.+)$/i.exec(header ?? '')?.[1] ?? '';
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(token)) && given.length > 0;
}

/** The request handler of one listener; `withMetrics` false leaves /metrics to the other one. */
export function httpRoutes(state: HttpRouteState, access: MetricsAccess, withMetrics: boolean): Handler {
  return (req, res) => {
    const url = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && url === '/livez') {
      send(res, 200, 'application/json', JSON.stringify({ status: 'alive' }));
    } else if (req.method === 'GET' && (url === '/readyz' || url === '/healthz')) {
      void readiness(state).then((r) => {
        const body = { status: r.status, store: state.storeKind, storeAnswers: r.store, redis: state.redis(), connections: state.metrics.connections };
        send(res, r.ready ? 200 : 503, 'application/json', JSON.stringify(body));
      });
    } else if (req.method === 'GET' && url === '/metrics' && withMetrics) {
      if (access.token !== undefined && !bearerMatches(req.headers.authorization, access.token)) {
        send(res, 401, 'text/plain', 'metrics need the hub\'s metrics token: send "Authorization: Bearer TOKEN" (conn hub serve --metrics-token)\n', {
          'www-authenticate': 'Bearer realm="conn-hub-metrics"',
        });
        return;
      }
      // Read at the scrape, not at the relay's last tick.
      const redis = state.redis();
      state.metrics.redisUp = redis === 'none' ? null : redis === 'up';
      send(res, 200, 'text/plain; version=0.0.4', state.metrics.render());
    } else {
      send(res, 404, 'text/plain', 'not found\n');
    }
  };
}

/** Starts the separate metrics listener, if one was asked for. */
export async function listenForMetrics(state: HttpRouteState, access: MetricsAccess): Promise<{ url: string; close(): Promise<void> } | undefined> {
  if (!access.listener) return undefined;
  const server = http.createServer(httpRoutes(state, access, true));
  const { host, port } = access.listener;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
