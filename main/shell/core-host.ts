import { MessageChannelMain, utilityProcess, type UtilityProcess, type WebContents } from 'electron';
import { createCoreClient, type CoreClient } from './core-client.js';
import type { CoreProcessMessage } from './core-port.js';
import { CORE_PORT_CHANNEL } from './shell-api.js';

/*
 * Runs the core in a utilityProcess and wires ports: one MessageChannelMain per window load
 * (a reload runs a fresh preload, which needs a fresh port) and one for main's own client.
 * If the core process dies it is restarted and every window gets a new port; more than
 * MAX_RESTARTS within a minute is a crash loop, reported instead of retried.
 */

export interface CoreHostOptions {
  entry: string;
  dataDir: string;
  hubToken: string | null;
  /** The core connected (a token) or disconnected (null) from the app: keep it with safeStorage. */
  onHubToken?(token: string | null): void;
  /** The core could not start or keeps crashing: tell the person (a dialog) and quit. */
  onFatal(message: string): void;
}

export interface CoreHost {
  readonly client: CoreClient;
  /** Hands `contents` a port to the core now and after every reload or core restart. */
  connect(contents: WebContents): void;
  setHubToken(token: string | null): void;
  stop(): Promise<void>;
}

const MAX_RESTARTS = 3;

export function startCoreHost(o: CoreHostOptions): CoreHost {
  const client = createCoreClient();
  const windows = new Set<WebContents>();
  let child: UtilityProcess | null = null;
  let stopping = false;
  let hubToken = o.hubToken;
  const restarts: number[] = [];

  function post(msg: CoreProcessMessage, ports: Electron.MessagePortMain[] = []): void {
    child?.postMessage(msg, ports);
  }

  function givePort(contents: WebContents): void {
    if (!child || contents.isDestroyed()) return;
    const { port1, port2 } = new MessageChannelMain();
    post({ type: 'connect' }, [port1]);
    contents.postMessage(CORE_PORT_CHANNEL, null, [port2]);
  }

  function spawn(): void {
    child = utilityProcess.fork(o.entry, [], { serviceName: 'Conn core', stdio: 'inherit' });
    post({ type: 'init', dataDir: o.dataDir, hubToken });
    const { port1, port2 } = new MessageChannelMain();
    post({ type: 'connect' }, [port1]);
    client.attach(port2);
    child.on('message', (m: { type?: string; message?: string }) => {
      if (m?.type === 'keep-hub-token') {
        // sync.connect/disconnect in the core: keep the token with safeStorage, and for a restart.
        const token = (m as { token?: unknown }).token;
        hubToken = typeof token === 'string' ? token : null;
        o.onHubToken?.(hubToken);
      }
      if (m?.type === 'fatal') {
        stopping = true;
        o.onFatal(m.message ?? 'the core could not open its database');
      }
    });
    child.on('exit', (code) => {
      child = null;
      if (stopping) return;
      const now = Date.now();
      restarts.push(now);
      while (restarts.length && restarts[0]! < now - 60_000) restarts.shift();
      if (restarts.length > MAX_RESTARTS) {
        stopping = true;
        o.onFatal(`the core process keeps stopping (last exit code ${code}); your data is safe on disk — restart Conn.`);
        return;
      }
      spawn();
      for (const contents of windows) givePort(contents);
    });
  }

  spawn();
  return {
    client,
    connect(contents) {
      windows.add(contents);
      contents.on('did-finish-load', () => givePort(contents));
      contents.once('destroyed', () => windows.delete(contents));
    },
    setHubToken(token) {
      hubToken = token;
      post({ type: 'hub-token', token });
    },
    async stop() {
      stopping = true;
      client.close();
      const c = child;
      if (!c) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          c.kill();
          resolve();
        }, 3000);
        c.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        post({ type: 'shutdown' });
      });
    },
  };
}
