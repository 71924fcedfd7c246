import type http from 'node:http';
import { ConnError } from '../../shared/domain/errors.js';
import type { SequencedEvent } from '../../shared/sync/protocol.js';
import { TokenBucket } from '../hub/rate-limit.js';
import type { HubMetrics } from '../hub/metrics.js';
import type { HubStore } from '../store/store.js';
import { InboundError, inboundAlerts } from './inbound.js';
import { INTEGRATION_KINDS, type Integration, type IntegrationKind } from './integration.js';
import { pagerDutySignatureValid } from './pagerduty-signature.js';

/*
 * The hub's way in for alerts: POST /alerts/alertmanager, /alerts/pagerduty, /alerts/generic.
 * Checks run cheapest first, and nothing is written unless every one passes:
 *
 *   unknown path 404, not POST 405, hub closing 503
 *   → token (Authorization: Bearer, or ?token= for senders that cannot set headers) 401
 *   → token of another kind's integration 400
 *   → the integration's rate 429 with Retry-After
 *   → a declared Content-Length over 1 MiB 413 at once, before a byte is read; a body that grows
 *     past it while streaming 413 as soon as it does (the rest is discarded, never kept)
 *   → PagerDuty's signature, when the integration has a signing secret 401
 *   → JSON and its shape 400, with the reason
 *   → one store transaction (alert-plan.ts) 202, then the broadcast, as for any commit.
 *
 * Every refusal is counted in /metrics by its reason (conn_hub_alerts_refused_total).
 */

export const MAX_ALERT_BODY_BYTES = 1024 * 1024;
/** A refused body is read and thrown away up to this much (so the sender sees the 413), then the connection is cut. */
const DISCARD_AT_MOST_BYTES = 4 * 1024 * 1024;

export interface AlertLimits {
  /** Posts per second one integration may keep up. */
  perSecond: number;
  /** Posts one integration may send at once after a quiet spell. */
  burst: number;
}

/** Alertmanager groups alerts (a post every group_interval, 5 minutes by default); a storm of 30 at once still passes. */
export const DEFAULT_ALERT_LIMITS: AlertLimits = { perSecond: 2, burst: 30 };

export type AlertRefusal = 'not-found' | 'method' | 'unavailable' | 'unauthenticated' | 'wrong-kind' | 'rate-limited' | 'too-large' | 'bad-signature' | 'malformed' | 'failed';

export interface AlertRouteOptions {
  store: HubStore;
  metrics: HubMetrics;
  now: () => number;
  /** A new clock stamp for each event the hub writes. */
  stamp: () => string;
  /** Sends committed events to the team's cockpits, as a push does. */
  broadcast: (teamId: string, committed: SequencedEvent[]) => void;
  closing: () => boolean;
  log: (line: string) => void;
  limits?: Partial<AlertLimits> | undefined;
  maxBodyBytes?: number | undefined;
}

export const ALERTS_PATH = '/alerts/';

function tokenOf(req: http.IncomingMessage, url: URL): string {
  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
  return bearer ?? url.searchParams.get('token') ?? '';
}

/** Reads the body up to `max` bytes; resolves null once it grows past that (having answered 413) or the sender goes away. */
function readBody(req: http.IncomingMessage, max: number, tooLarge: () => void): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (refused) {
        if (size > DISCARD_AT_MOST_BYTES) req.destroy();
        return;
      }
      if (size > max) {
        refused = true;
        chunks.length = 0;
        tooLarge();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    let ended = false;
    req.on('end', () => {
      ended = true;
      if (!refused) resolve(Buffer.concat(chunks));
    });
    // A sender gone before the end of its body (Node says 'aborted', then 'close') has nobody to
    // answer and nothing of its post is written; the post just ends, so close() never waits on it.
    const gone = () => {
      if (!ended && !refused) resolve(null);
    };
    req.on('error', gone);
    req.on('close', gone);
  });
}

/** The handler for every path under /alerts/. */
export function alertRoutes(opts: AlertRouteOptions): (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> {
  const limits = { ...DEFAULT_ALERT_LIMITS, ...opts.limits };
  const maxBody = opts.maxBodyBytes ?? MAX_ALERT_BODY_BYTES;
  const buckets = new Map<string, TokenBucket>();

  const answer = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    if (res.headersSent) return;
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const refuse = (res: http.ServerResponse, status: number, reason: AlertRefusal, message: string, headers: Record<string, string> = {}) => {
    opts.metrics.alertRefused(reason);
    answer(res, status, { error: { code: reason, message } }, headers);
  };

  /** Whether the integration may post now; the wait, in whole seconds, when not. */
  const admit = (integration: Integration): number => {
    const now = opts.now();
    let bucket = buckets.get(integration.id);
    if (!bucket) buckets.set(integration.id, (bucket = new TokenBucket(limits.perSecond, limits.burst, now)));
    const wait = bucket.waitMs(1, now);
    if (wait > 0) return Math.max(1, Math.ceil(wait / 1000));
    bucket.take(1, now);
    return 0;
  };

  async function serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://hub');
    const kind = url.pathname.slice(ALERTS_PATH.length) as IntegrationKind;
    if (!INTEGRATION_KINDS.includes(kind)) {
      return refuse(res, 404, 'not-found', `no such alert endpoint: post to ${INTEGRATION_KINDS.map((k) => `${ALERTS_PATH}${k}`).join(', ')}`);
    }
    if (req.method !== 'POST') return refuse(res, 405, 'method', `${url.pathname} takes POST`, { allow: 'POST' });
    if (opts.closing()) return refuse(res, 503, 'unavailable', 'the hub is shutting down; the sender should retry');

    const token = tokenOf(req, url);
    const integration = token ? await opts.store.authenticateIntegration(token) : null;
    if (!integration || integration.revoked) {
      const why = !token
        ? 'no integration token: send "Authorization: Bearer TOKEN" or add ?token=TOKEN to the URL'
        : integration
          ? `the integration "${integration.name}" of team "${integration.team}" was revoked: add a new one with \`conn hub integration add\``
          : 'the hub does not recognise this integration token: make one with `conn hub integration add NAME --team TEAM --kind KIND`';
      return refuse(res, 401, 'unauthenticated', why, { 'www-authenticate': 'Bearer realm="conn-hub-alerts"' });
    }
    if (integration.kind !== kind) {
      return refuse(res, 400, 'wrong-kind', `this token is the ${integration.kind} integration "${integration.name}": post to ${ALERTS_PATH}${integration.kind}`);
    }
    const retryAfter = admit(integration);
    if (retryAfter > 0) {
      return refuse(res, 429, 'rate-limited', `integration "${integration.name}" is over ${limits.burst} posts at once (${limits.perSecond} a second after that): retry in ${retryAfter} s`, {
        'retry-after': String(retryAfter),
      });
    }
    const tooLarge = () =>
      refuse(res, 413, 'too-large', `the body is over ${maxBody / 1024} KiB: send fewer alerts per post (Alertmanager: max_alerts in the webhook_config)`, { connection: 'close' });
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBody) {
      tooLarge();
      // Discard (never keep) what the sender is still writing, so it reads the answer; then cut it off.
      req.on('data', () => undefined);
      setTimeout(() => req.destroy(), 5000).unref();
      return;
    }
    const raw = await readBody(req, maxBody, tooLarge);
    if (raw === null) return;

    const secret = integration.settings.signingSecret;
    if (kind === 'pagerduty' && secret !== undefined && !pagerDutySignatureValid(req.headers['x-pagerduty-signature'], raw, secret)) {
      return refuse(res, 401, 'bad-signature', 'the X-PagerDuty-Signature header is missing or does not match this integration\'s signing secret');
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch (err) {
      return refuse(res, 400, 'malformed', `the body is not JSON (${err instanceof Error ? err.message : String(err)})`);
    }
    let alerts;
    try {
      alerts = inboundAlerts(kind, body);
    } catch (err) {
      if (err instanceof InboundError) return refuse(res, 400, 'malformed', `not a ${kind} alert: ${err.message}`);
      throw err;
    }
    const applied = await opts.store.commitAlerts(integration, alerts, opts.stamp);
    opts.metrics.committed(applied.committed.length);
    opts.metrics.alertAccepted(kind, applied.outcomes.map((o) => o.action));
    if (applied.committed.length) opts.broadcast(integration.teamId, applied.committed);
    answer(res, 202, { received: alerts.length, incidents: applied.outcomes });
  }

  return (req, res) =>
    serve(req, res).catch((err: unknown) => {
      opts.log(`alert post failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      const message = err instanceof ConnError ? err.message : 'the hub failed to apply the alerts; nothing was written, and it is safe to retry';
      refuse(res, 500, 'failed', message);
    });
}
