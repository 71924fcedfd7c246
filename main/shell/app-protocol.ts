import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { answerMedia, isMediaPath } from '../static/media-files.js';
import { contentSecurityPolicy, plainReply, resolveRendererPath, serveRendererFile, type RendererPath } from '../static/renderer-files.js';

/*
 * The app:// protocol: the window loads the built renderer from app://conn/… instead of
 * file://, so it gets a real origin (for CSP 'self', and for sender checks in IPC) and can
 * read nothing outside dist/renderer. What is served, and with which headers, is
 * main/static/renderer-files.ts, shared with `conn web`.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'conn';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** connect-src is 'self' alone: the window reaches the core over a MessagePort, not the network. */
export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();

/** Options for protocol.registerSchemesAsPrivileged, which must run before app 'ready'. */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true },
} as const;

export type AppPath = RendererPath | { ok: false; status: 404 };

/** Maps an app:// URL to a file under `root`, or refuses another scheme, host or credentials. */
export function resolveAppPath(root: string, rawUrl: string): AppPath {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { ok: false, status: 404 };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || url.username || url.password) return { ok: false, status: 403 };
  return resolveRendererPath(root, url.pathname);
}

/**
 * The protocol.handle handler for app://, serving files from `root` (dist/renderer) and, with
 * `recordingsDir`, call recordings at app://conn/media/recordings/ID.wav with Range (only the
 * app's own window can load app:// URLs; the player seeks to an entry's moment).
 */
export function createAppProtocolHandler(root: string, read: (file: string) => Promise<Uint8Array> = readFile, recordingsDir?: string) {
  return async (request: Request): Promise<Response> => {
    const where = resolveAppPath(root, request.url);
    if (where.ok && recordingsDir !== undefined && isMediaPath(new URL(request.url).pathname)) {
      const a = await answerMedia(recordingsDir, request.method, new URL(request.url).pathname, request.headers.get('range') ?? undefined, CONTENT_SECURITY_POLICY);
      const body = a.file === null || request.method === 'HEAD' ? null : (Readable.toWeb(createReadStream(a.file, { start: a.start, end: a.end })) as unknown as BodyInit);
      return new Response(body, { status: a.status, headers: a.headers });
    }
    const reply = where.ok
      ? await serveRendererFile(root, request.method, new URL(request.url).pathname, CONTENT_SECURITY_POLICY, read)
      : plainReply(where.status, where.status === 403 ? 'Forbidden.' : 'Not found.', CONTENT_SECURITY_POLICY);
    const body = request.method === 'HEAD' ? null : (reply.body as unknown as BodyInit);
    return new Response(body, { status: reply.status, headers: reply.headers });
  };
}
