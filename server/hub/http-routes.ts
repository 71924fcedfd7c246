import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HubMetrics } from './metrics.js';

/*
 * The hub's plain-http side: /healthz for load balancers and /metrics for Prometheus. Metrics
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
    if (req.method === 'GET' && url === '/healthz') {
      const closing = state.closing();
      send(res, closing ? 503 : 200, 'application/json', JSON.stringify({ status: closing ? 'closing' : 'ok', store: state.storeKind, connections: state.metrics.connections }));
    } else if (req.method === 'GET' && url === '/metrics' && withMetrics) {
      if (access.token !== undefined && !bearerMatches(req.headers.authorization, access.token)) {
        send(res, 401, 'text/plain', 'metrics need the hub\'s metrics token: send "Authorization: Bearer TOKEN" (conn hub serve --metrics-token)\n', {
          'www-authenticate': 'Bearer realm="conn-hub-metrics"',
        });
        return;
      }
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
