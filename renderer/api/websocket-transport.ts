import type { Transport } from './transport.js';

const TOKEN_KEY = 'conn.token';

/**
 * The per-launch token `conn web` printed, taken from `?token=` on first load and kept for the
 * tab's life so a reload without the query still connects. It is dropped from the address bar
 * so it does not end up in screenshots or shared links.
 */
export function takeToken(loc: Location = window.location, storage: Storage = window.sessionStorage): string | null {
  const url = new URL(loc.href);
  const fromQuery = url.searchParams.get('token');
  if (fromQuery) {
    storage.setItem(TOKEN_KEY, fromQuery);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
    return fromQuery;
  }
  return storage.getItem(TOKEN_KEY);
}

export function socketUrl(loc: Location, token: string | null): string {
  const proto = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  const q = token ? `?token=${encodeURIComponent(token)}` : '';
  return `${proto}//${loc.host}/rpc${q}`;
}

/**
 * A WebSocket that reconnects with capped backoff. Messages sent while it is down are queued
 * (the RPC client bounds how many calls are in flight), so a restart of `conn web` is a pause,
 * not an error for every pending click.
 */
export function websocketTransport(url: string): Transport {
  const listeners = new Set<(m: string) => void>();
  const connListeners = new Set<(c: boolean) => void>();
  const queue: string[] = [];
  let socket: WebSocket | null = null;
  let connected = false;
  let closed = false;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const setConnected = (c: boolean) => {
    if (c === connected) return;
    connected = c;
    for (const l of connListeners) l(c);
  };

  const open = () => {
    if (closed) return;
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      setConnected(true);
      while (queue.length && ws.readyState === WebSocket.OPEN) ws.send(queue.shift()!);
    };
    ws.onmessage = (ev) => {
      if (typeof ev.data === 'string') for (const l of listeners) l(ev.data);
    };
    ws.onclose = () => {
      socket = null;
      setConnected(false);
      if (closed) return;
      const delay = Math.min(5000, 250 * 2 ** attempt++);
      timer = setTimeout(open, delay);
    };
  };
  open();

  return {
    send(m) {
      if (socket && socket.readyState === WebSocket.OPEN) socket.send(m);
      else queue.push(m);
    },
    onMessage(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    onConnection(l) {
      connListeners.add(l);
      l(connected);
      return () => connListeners.delete(l);
    },
    get connected() {
      return connected;
    },
    close() {
      closed = true;
      clearTimeout(timer);
      socket?.close();
    },
    withdraw(m) {
      const i = queue.indexOf(m);
      if (i < 0) return false;
      queue.splice(i, 1);
      return true;
    },
  };
}
