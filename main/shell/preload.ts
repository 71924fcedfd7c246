import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { MAX_RPC_BYTES, type ConnBridge } from '../../shared/api/bridge.js';
import { CORE_PORT_CHANNEL, SHELL_EVENT_CHANNEL, isShellMethod, isShellNotification, type IpcResult } from './shell-api.js';

/*
 * The preload (bundled to dist/shell/preload.cjs, run sandboxed). It exposes exactly one thing,
 * `window.connBridge` = { send, onMessage, host }, and never ipcRenderer itself. Requests go to
 * the core over the MessagePort main hands us ('core-port'); the few shell.* methods go to the
 * main process's IPC registry. Everything the page receives is a JSON string.
 */

const listeners = new Set<(message: string) => void>();
let port: MessagePort | null = null;
/** Requests made before the port arrives (the page loads while the core is still starting). */
const pending: string[] = [];
const MAX_PENDING = 1000;

function tooLarge(message: string): boolean {
  // A UTF-8 byte is at most 3 per UTF-16 unit: skip encoding when the string is clearly small.
  return message.length * 3 > MAX_RPC_BYTES && new TextEncoder().encode(message).length > MAX_RPC_BYTES;
}

function deliver(message: string): void {
  for (const listener of [...listeners]) {
    try {
      listener(message);
    } catch (err) {
      console.error('connBridge listener failed', err);
    }
  }
}

function peekRequest(message: string): { id: number; method: string; params: unknown } | null {
  try {
    const r = JSON.parse(message) as { id?: unknown; method?: unknown; params?: unknown };
    if (typeof r === 'object' && r !== null && typeof r.id === 'number' && typeof r.method === 'string') return { id: r.id, method: r.method, params: r.params };
  } catch {}
  return null;
}

function callShell(id: number, method: string, params: unknown): void {
  ipcRenderer.invoke(method, params).then(
    (r: IpcResult) => deliver(JSON.stringify(r.ok ? { id, result: r.result } : { id, error: r.error })),
    () => deliver(JSON.stringify({ id, error: { code: 'internal', message: `${method} failed in the desktop shell: restart Conn.` } })),
  );
}

const bridge: ConnBridge = {
  send(message: string): void {
    if (typeof message !== 'string') throw new TypeError('connBridge.send takes a JSON string');
    if (tooLarge(message)) throw new RangeError(`connBridge.send: a message is at most ${MAX_RPC_BYTES} bytes`);
    const request = peekRequest(message);
    if (request && isShellMethod(request.method)) return callShell(request.id, request.method, request.params);
    if (port) port.postMessage(message);
    else if (pending.length < MAX_PENDING) pending.push(message);
    else throw new RangeError('connBridge.send: the core is not reachable yet and too many requests are waiting');
  },
  onMessage(listener: (message: string) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('connBridge.onMessage takes a function');
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },
  host: 'electron',
};

ipcRenderer.on(CORE_PORT_CHANNEL, (event: IpcRendererEvent) => {
  const next = event.ports[0];
  if (!next) return;
  // A new port means the core process restarted: drop the old one, keep the listeners.
  port?.close();
  port = next;
  next.onmessage = (e: MessageEvent) => {
    if (typeof e.data === 'string' && !tooLarge(e.data)) deliver(e.data);
  };
  next.start();
  for (const message of pending.splice(0)) next.postMessage(message);
});

ipcRenderer.on(SHELL_EVENT_CHANNEL, (_event: IpcRendererEvent, payload: unknown) => {
  if (isShellNotification(payload)) deliver(JSON.stringify(payload));
});

contextBridge.exposeInMainWorld('connBridge', Object.freeze(bridge));
