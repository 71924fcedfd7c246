import { readFile } from 'node:fs/promises';
import path from 'node:path';

/*
 * The app:// protocol: the window loads the built renderer from app://conn/… instead of
 * file://, so it gets a real origin (for CSP 'self', and for sender checks in IPC) and can
 * read nothing outside dist/renderer.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'conn';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * Scripts and styles only from the app itself; no eval, no inline script, no plugins, no
 * frames, no forms posting elsewhere. connect-src is 'self' because the window reaches the
 * core over a MessagePort, not the network. Images may be data: URLs (icons inlined by Vite).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "media-src 'self' blob:",
  "worker-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/** Options for protocol.registerSchemesAsPrivileged, which must run before app 'ready'. */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true },
} as const;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

export type AppPath = { ok: true; file: string } | { ok: false; status: 403 | 404 };

/**
 * Maps an app:// URL to a file under `root`, or refuses. Refuses another host, encoded
 * slashes or backslashes (which would let "..%2f" climb after decoding), NUL bytes, and
 * anything that resolves outside `root`. A path without an extension is a client-side route
 * and gets index.html.
 */
export function resolveAppPath(root: string, rawUrl: string): AppPath {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { ok: false, status: 404 };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || url.username || url.password) return { ok: false, status: 403 };
  const rawPath = url.pathname;
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
  const rel = decoded === '/' || path.posix.extname(decoded) === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const base = path.resolve(root);
  const file = path.resolve(base, rel);
  if (file !== base && !file.startsWith(base + path.sep)) return { ok: false, status: 403 };
  return { ok: true, file };
}

/** Headers on every app:// response, errors included. */
export function securityHeaders(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
  };
}

/** The protocol.handle handler for app://, serving files from `root` (dist/renderer). */
export function createAppProtocolHandler(root: string, read: (file: string) => Promise<Uint8Array> = readFile) {
  return async (request: Request): Promise<Response> => {
    const plain = securityHeaders('text/plain; charset=utf-8');
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('method not allowed', { status: 405, headers: plain });
    const resolved = resolveAppPath(root, request.url);
    if (!resolved.ok) return new Response(resolved.status === 403 ? 'forbidden' : 'not found', { status: resolved.status, headers: plain });
    let body: Uint8Array;
    try {
      body = await read(resolved.file);
    } catch {
      return new Response('not found', { status: 404, headers: plain });
    }
    const type = MIME[path.extname(resolved.file).toLowerCase()] ?? 'application/octet-stream';
    return new Response(request.method === 'HEAD' ? null : (body as unknown as BodyInit), { status: 200, headers: securityHeaders(type) });
  };
}
