import { readFile } from 'node:fs/promises';
import path from 'node:path';

/*
 * Serving the built renderer (dist/renderer), for both of its hosts: Electron's app:// protocol
 * (main/shell/app-protocol.ts) and `conn web` over loopback http (main/web/web-host.ts). One
 * path rule, one MIME table and one Content-Security-Policy, so the two cannot drift; a host
 * passes only what differs (where the page may connect), and adapts the reply to its transport.
 */

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

export function mimeOf(file: string): string {
  return MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Scripts and styles only from the renderer itself; no eval, no inline script, no plugins, no
 * frames, no forms posting elsewhere. Images may be data: URLs (icons inlined by Vite).
 * connect-src is the page's own origin plus `connectTo`: nothing for Electron, whose window
 * reaches the core over a MessagePort, and exactly the page's own ws:// origin for `conn web`
 * (named, because not every browser counts a same-origin ws: URL as 'self').
 */
export function contentSecurityPolicy(connectTo: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    ["connect-src 'self'", ...connectTo].join(' '),
    "media-src 'self' blob:",
    "worker-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** Headers on every answer, refusals included: a refusal page must not be framable or sniffed either. */
export function securityHeaders(contentType: string, csp: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

export type RendererPath = { ok: true; file: string } | { ok: false; status: 403 };

/**
 * Maps a URL path, still percent-encoded, to a file under `root`, or refuses. Refuses encoded
 * slashes or backslashes (which would let "..%2f" climb after decoding), NUL bytes, double
 * encoding, ".." segments and anything that resolves outside `root`. A path without an
 * extension is a client-side route and gets index.html.
 */
export function resolveRendererPath(root: string, rawPath: string): RendererPath {
  if (/%2f|%5c|%00/i.test(rawPath) || rawPath.includes('\\')) return { ok: false, status: 403 };
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { ok: false, status: 403 };
  }
  // A '%' left after decoding is double encoding: nothing we build has one, so refuse it
  // rather than hand a later layer a second chance to decode "..".
  if (decoded.includes('\0') || decoded.includes('%') || decoded.split('/').some((seg) => seg === '..')) return { ok: false, status: 403 };
  const rel = decoded === '/' || decoded === '' || path.posix.extname(decoded) === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const base = path.resolve(root);
  const file = path.resolve(base, rel);
  if (file !== base && !file.startsWith(base + path.sep)) return { ok: false, status: 403 };
  return { ok: true, file };
}

/** An answer for the host to send as it sends things: a Response for app://, a ServerResponse for http. */
export interface RendererReply {
  status: number;
  headers: Record<string, string>;
  /** The file, even for HEAD: the host sends only its length then. */
  body: Uint8Array;
}

export function plainReply(status: number, text: string, csp: string): RendererReply {
  return { status, headers: { ...securityHeaders('text/plain; charset=utf-8', csp), 'Cache-Control': 'no-store' }, body: Buffer.from(`${text}\n`) };
}

/** Answers a GET or HEAD for `rawPath` from `root`; any other method gets 405. */
export async function serveRendererFile(
  root: string,
  method: string,
  rawPath: string,
  csp: string,
  read: (file: string) => Promise<Uint8Array> = readFile,
): Promise<RendererReply> {
  if (method !== 'GET' && method !== 'HEAD') {
    const r = plainReply(405, 'Only GET and HEAD are served here.', csp);
    return { ...r, headers: { ...r.headers, Allow: 'GET, HEAD' } };
  }
  const resolved = resolveRendererPath(root, rawPath);
  if (!resolved.ok) return plainReply(403, 'Forbidden.', csp);
  let body: Uint8Array;
  try {
    body = await read(resolved.file);
  } catch {
    return plainReply(404, 'Not found.', csp);
  }
  // Hashed assets never change; the page itself must always be re-read to pick up a rebuild.
  const immutable = path.relative(path.resolve(root), resolved.file).split(path.sep)[0] === 'assets';
  return {
    status: 200,
    headers: { ...securityHeaders(mimeOf(resolved.file), csp), 'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-store' },
    body,
  };
}
