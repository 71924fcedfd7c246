import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import type { ConnEvent } from '../../shared/domain/events.js';
import { newId } from '../../shared/domain/ids.js';
import { formatHlc } from '../../shared/sync/hlc.js';
import { HUB_PROTOCOL_VERSION, type MemberRole } from '../../shared/sync/protocol.js';
import { createHub, type Hub, type HubOptions } from '../../server/hub/hub.js';
import { openSqliteStore } from '../../server/store/sqlite.js';
import type { HubStore } from '../../server/store/store.js';

/** A hub on a free loopback port with its own SQLite store in a temp dir. */
export interface HubFixture {
  hub: Hub;
  store: HubStore;
  dir: string;
  invite(team: string, name: string, role?: MemberRole): Promise<string>;
  /** Closes the hub (which closes the store) and removes the dir. */
  dispose(): Promise<void>;
}

export async function startHub(opts: Partial<HubOptions> & { dir?: string } = {}): Promise<HubFixture> {
  const dir = opts.dir ?? mkdtempSync(path.join(tmpdir(), 'conn-hub-'));
  const store = openSqliteStore(dir);
  const hub = await createHub({ ...opts, store });
  return {
    hub,
    store,
    dir,
    invite: async (team, name, role = 'member') => (await store.invite(team, name, role)).token,
    dispose: async () => {
      await hub.close();
      if (!opts.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A raw protocol client of this version (HUB_PROTOCOL_VERSION): connects and resolves once
 * connected, or rejects with the connect_error. `from` is a local address to connect from: every
 * 127.x.y.z is loopback on Linux, so tests get distinct real client addresses without a proxy.
 */
export function client(url: string, token?: string, from?: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(url, {
      transports: ['websocket'],
      reconnection: false,
      ...(token === undefined ? {} : { auth: { token, protocol: HUB_PROTOCOL_VERSION } }),
      // Passed through to the ws transport; socket.io-client's types do not list it.
      ...(from === undefined ? {} : ({ localAddress: from } as object)),
    });
    s.once('connect', () => resolve(s));
    s.once('connect_error', (err) => {
      s.close();
      reject(err);
    });
  });
}

let counter = 0;
/** A valid event, stamped now (or `wall`), written by `author`. */
export function makeEvent(incidentId: string, kind: ConnEvent['kind'], payload: unknown, author = 'Alice', wall = Date.now()): ConnEvent {
  counter = (counter + 1) % 99_999;
  return { id: newId(), incidentId, hlc: formatHlc({ wall, counter }), author: { id: `id-${author}`, name: author }, kind, payload } as ConnEvent;
}

export function declare(incidentId: string, author = 'Alice'): ConnEvent {
  return makeEvent(incidentId, 'incident.declared', { title: 'Checkout down', severity: 1, services: [] }, author);
}
