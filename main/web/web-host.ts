import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_RPC_BYTES, type CoreNotification } from '../../shared/api/contract.js';
import { ConnError } from '../../shared/domain/errors.js';
import { isAllowedHost, isAllowedOrigin, requestToken, requestUrl, tokenMatches, queryToken, cookieToken, TOKEN_COOKIE } from './access.js';
import { contentSecurityPolicy, plainReply, serveRendererFile, type RendererReply } from '../static/renderer-files.js';
import { LAUNCH_PATH, LaunchLinks } from './launch-links.js';
import { createReadStream } from 'node:fs';
import { answerMedia, isMediaPath } from '../static/media-files.js';

/** The server side of the API contract, as main/core/api/rpc-server.ts provides it. */
export interface RpcEndpoint {
  handle(raw: string): Promise<string>;
  onNotification(listener: (n: CoreNotification) => void): () => void;
}

export interface WebHostOptions {
  rpc: RpcEndpoint;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** For tests; otherwise 32 random bytes per launch. */
  token?: string;
  /** For tests: the clock launch links expire by. */
  now?: () => number;
  /** <dataDir>/recordings: call recordings served at /media/recordings/ID.wav, behind the same token. */
  recordingsDir?: string;
}

export interface WebHost {
  readonly port: number;
  readonly token: string;
  /** What to print: carries the token, which the page then keeps in a cookie. */
  readonly url: string;
  /**
   * What to hand a browser opener: a link that is good once, for a minute, and is traded for
   * the token cookie, so the token never reaches another process's command line.
   */
  launchUrl(): string;
  close(): Promise<void>;
}

/** Only loopback, ever: the cockpit holds incident data and the token is the only lock. */
const HOST = '127.0.0.1';

/**
 * `conn web`: serves the built renderer and the core's RPC over a WebSocket at /rpc. Every
 * request passes the Host check (DNS rebinding), then the token check; see access.ts.
 */
export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const token = opts.token ?? randomBytes(32).toString('base64url');
  let port = 0;
  const launches = new LaunchLinks(opts.now);
  const tokenCookie = `${TOKEN_COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict`;

  const deny = (res: ServerResponse, status: number, text: string, csp = contentSecurityPolicy()) => send(res, plainReply(status, text, csp), false);

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (!isAllowedHost(req.headers.host, port)) {
      deny(res, 421, `conn web answers only to 127.0.0.1:${port} or localhost:${port}.`);
      return;
    }
    // The page may open a socket to its own origin only, named exactly: the Host just checked.
    const csp = contentSecurityPolicy([`ws://${(req.headers.host ?? '').toLowerCase()}`]);
    const url = requestUrl(req);
    if (url?.pathname === LAUNCH_PATH && req.method === 'GET') {
      if (!launches.redeem(url.searchParams.get('nonce'))) {
        deny(res, 401, 'This launch link was used already or is over a minute old: run `conn web --open` again, or open the address `conn web` printed.', csp);
        return;
      }
      const reply = plainReply(303, 'Opening the cockpit.', csp);
      send(res, { ...reply, headers: { ...reply.headers, Location: '/', 'Set-Cookie': tokenCookie } }, false);
      return;
    }
    const auth = requestToken(req, token);
    if (!auth.ok) {
      deny(res, 401, 'Open the address `conn web` printed (it carries this launch\'s token).', csp);
      return;
    }
    if (!url) {
      deny(res, 404, 'Not found.', csp);
      return;
    }
    if (isMediaPath(url.pathname)) {
      serveMedia(res, opts.recordingsDir, req, url.pathname, csp);
      return;
    }
    void serveRendererFile(opts.staticDir, req.method ?? 'GET', url.pathname, csp).then((reply) => {
      // The page loaded with ?token= sets the cookie, so its assets, a reload and new tabs work.
      if (auth.fromQuery && reply.status === 200) reply.headers['Set-Cookie'] = tokenCookie;
      send(res, reply, req.method === 'HEAD');
    }, () => deny(res, 500, 'conn web could not read the cockpit\'s files; see its terminal.', csp));
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_RPC_BYTES });

  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const refuse = (status: string) => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    const path = requestUrl(req)?.pathname;
    if (!isAllowedHost(req.headers.host, port)) return refuse('421 Misdirected Request');
    if (path !== '/rpc') return refuse('404 Not Found');
    if (!isAllowedOrigin(req.headers.origin, port)) return refuse('403 Forbidden');
    if (!tokenMatches(queryToken(req), token) && !tokenMatches(cookieToken(req), token)) return refuse('401 Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws, opts.rpc));
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'EADDRINUSE'
          ? new ConnError('unavailable', `port ${opts.port} is already in use on ${HOST}: pick another with --port, or --port 0 for any free one`)
          : err,
      );
    };
    server.once('error', onError);
    server.listen(opts.port ?? 0, HOST, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const addr = server.address();
  port = typeof addr === 'object' && addr ? addr.port : 0;

  return {
    port,
    token,
    url: `http://${HOST}:${port}/?token=${encodeURIComponent(token)}`,
    launchUrl: () => `http://${HOST}:${port}${LAUNCH_PATH}?nonce=${launches.mint()}`,
    async close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** One browser tab: requests answered in any order by id, notifications pushed as they come. */
function serveSocket(ws: WebSocket, rpc: RpcEndpoint): void {
  const off = rpc.onNotification((n) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(n));
  });
  ws.on('message', (data, isBinary) => {
    if (isBinary) return; // the contract is JSON text; a binary frame is not a request
    void rpc.handle(data.toString('utf8')).then((reply) => {
      if (ws.readyState === ws.OPEN) ws.send(reply);
    });
  });
  ws.on('close', off);
  ws.on('error', off);
}

/** A recording, with Range (main/static/media-files.ts): only after the token check above. */
function serveMedia(res: ServerResponse, dir: string | undefined, req: IncomingMessage, pathname: string, csp: string): void {
  const fail = () => send(res, plainReply(500, 'conn web could not read that recording; see its terminal.', csp), false);
  if (dir === undefined) {
    send(res, plainReply(404, 'Not found.', csp), false);
    return;
  }
  void answerMedia(dir, req.method ?? 'GET', pathname, req.headers.range, csp).then((a) => {
    res.statusCode = a.status;
    for (const [name, value] of Object.entries(a.headers)) res.setHeader(name, value);
    if (a.file === null || req.method === 'HEAD') {
      res.end();
      return;
    }
    const stream = createReadStream(a.file, { start: a.start, end: a.end });
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  }, fail);
}

function send(res: ServerResponse, reply: RendererReply, head: boolean): void {
  res.statusCode = reply.status;
  for (const [name, value] of Object.entries(reply.headers)) res.setHeader(name, value);
  res.setHeader('Content-Length', reply.body.length);
  res.end(head ? undefined : reply.body);
}
