import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/*
 * Who may talk to `conn web`. It listens on 127.0.0.1 only, but any web page the person has
 * open can still aim requests at loopback, and a DNS-rebinding attack can make such a page
 * look same-origin. So: the Host header must name this loopback host and port, a WebSocket's
 * Origin must be this host, and every request must carry the per-launch token.
 */

export const TOKEN_COOKIE = 'conn_token';

/** The Host values a genuine browser tab on this host sends. Anything else is refused. */
export function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

export function isAllowedHost(host: string | undefined, port: number): boolean {
  return host !== undefined && allowedHosts(port).has(host.toLowerCase());
}

/** A WebSocket must come from a page this host served (browsers always send Origin on upgrade). */
export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return false;
  try {
    const u = new URL(origin);
    return u.protocol === 'http:' && isAllowedHost(u.host, port);
  } catch {
    return false;
  }
}

/**
 * The token cookie's value, or null. Anyone who can reach loopback chooses this header, so a
 * value that is not valid percent-encoding is simply no token: decoding it must never throw
 * out of a request handler, where it would take the whole process down.
 */
export function cookieToken(req: IncomingMessage): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k !== TOKEN_COOKIE) continue;
    try {
      return decodeURIComponent(v.join('='));
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * The request target as a URL, or null when it is none (`//` or `//@` fail to parse). Like the
 * cookie, it is the sender's choice, so a bad one is refused rather than thrown.
 */
export function requestUrl(req: IncomingMessage): URL | null {
  try {
    return new URL(req.url ?? '/', 'http://127.0.0.1');
  } catch {
    return null;
  }
}

export function queryToken(req: IncomingMessage): string | null {
  return requestUrl(req)?.searchParams.get('token') ?? null;
}

/** Constant-time, so the token cannot be guessed a byte at a time from response timings. */
export function tokenMatches(given: string | null, token: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function requestToken(req: IncomingMessage, token: string): { ok: boolean; fromQuery: boolean } {
  const q = queryToken(req);
  if (tokenMatches(q, token)) return { ok: true, fromQuery: true };
  return { ok: tokenMatches(cookieToken(req), token), fromQuery: false };
}
