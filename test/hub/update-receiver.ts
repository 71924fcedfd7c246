import http from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * A real HTTP receiver on loopback for delivery tests. It records every request, answers as the
 * test says (a status, or 'hang' to never answer), and dedupes by Idempotency-Key the way a
 * receiver is told to in the README: `seen` holds each update once, however often it came.
 */

export interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** 'hang': never answer; 'hold': take the update (it counts as seen) but never answer, like a receiver whose 200 was lost. */
export type Answer = { status: number; body?: string } | 'hang' | 'hold';

export interface Receiver {
  url: string;
  requests: Received[];
  /** Bodies by Idempotency-Key: what a deduping receiver shows. */
  seen: Map<string, string>;
  /** How the next request is answered; the default is 200. */
  answer: (req: Received, n: number) => Answer;
  /** Resolves when `n` requests have arrived. */
  waitFor(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(port = 0): Promise<Receiver> {
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  const hanging = new Set<http.ServerResponse>();
  const r: Receiver = {
    url: '',
    requests: [],
    seen: new Map(),
    answer: () => ({ status: 200, body: '{"ok":true}' }),
    waitFor(n, timeoutMs = 10_000) {
      if (r.requests.length >= n) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`receiver got ${r.requests.length} requests, waited for ${n}`)), timeoutMs);
        waiters.push({ n, resolve: () => (clearTimeout(t), resolve()) });
      });
    },
    close: () =>
      new Promise((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const got: Received = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      r.requests.push(got);
      const answer = r.answer(got, r.requests.length);
      const key = req.headers['idempotency-key'];
      const take = () => {
        if (typeof key === 'string' && !r.seen.has(key)) r.seen.set(key, body);
      };
      if (answer === 'hang' || answer === 'hold') {
        if (answer === 'hold') take();
        hanging.add(res);
      } else {
        if (answer.status < 300) take();
        res.writeHead(answer.status, { 'Content-Type': 'application/json' }).end(answer.body ?? '');
      }
      for (const w of [...waiters]) {
        if (r.requests.length < w.n) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return r;
}
