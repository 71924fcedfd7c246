import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import { run } from '../../cli/program.js';
import { saveConnection } from '../../main/core/sync/connection.js';
import { SyncEngine, type EngineStatus } from '../../main/core/sync/engine.js';
import { newId } from '../../shared/domain/ids.js';
import { HUB_PROTOCOL_VERSION, type PushAck, type SubscribeAck } from '../../shared/sync/protocol.js';
import { protocolRange } from '../../server/hub/compat.js';
import { cockpits, until } from '../sync/sync-fixture.js';
import { makeEvent, startHub, type HubFixture } from './hub-fixture.js';

/*
 * Protocol versions in the handshake, through real hubs on loopback: who is let in, who is told
 * to upgrade what, and that an older client is spoken to in words it can read.
 */

interface Refusal {
  code: string;
  message: string;
}

const open: Socket[] = [];
const { cockpit, tempDir, dispose } = cockpits('protocol');

/** Connects with exactly this `auth`; resolves with the socket, or with the hub's refusal. */
function handshake(url: string, auth: Record<string, unknown>): Promise<Socket | Refusal> {
  return new Promise((resolve) => {
    const s = connect(url, { transports: ['websocket'], reconnection: false, auth });
    s.once('connect', () => (open.push(s), resolve(s)));
    s.once('connect_error', (err: Error & { data?: Refusal }) => (s.close(), resolve(err.data ?? { code: 'none', message: err.message })));
  });
}

async function connected(url: string, auth: Record<string, unknown>): Promise<Socket> {
  const r = await handshake(url, auth);
  if (!(r instanceof Object && 'emit' in r)) throw new Error(`refused: ${JSON.stringify(r)}`);
  return r;
}

/** Runs the real CLI in this process, capturing what it prints. */
async function conn(dataDir: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  try {
    return { code: await run(['--data-dir', dataDir, ...args]), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

let hub: HubFixture;
let token: string;

beforeAll(async () => {
  hub = await startHub();
  token = await hub.invite('payments', 'Ana');
});

afterAll(async () => {
  for (const s of open) s.close();
  await dispose();
  await hub.dispose();
});

describe('a hub of this version', () => {
  it('speaks protocol 2 and says so in the subscribe ack', async () => {
    expect(HUB_PROTOCOL_VERSION).toBe(2);
    const s = await connected(hub.hub.url, { token, protocol: 2 });
    const ack: SubscribeAck = await s.timeout(5000).emitWithAck('subscribe', {});
    expect(ack).toMatchObject({ team: 'payments', protocol: 2 });
  });

  it('accepts a client that names no version (every client before 2) and one that names 1', async () => {
    for (const auth of [{ token }, { token, protocol: 1 }]) {
      const s = await connected(hub.hub.url, auth);
      expect(await s.timeout(5000).emitWithAck('subscribe', {})).toMatchObject({ team: 'payments' });
    }
  });

  it('speaks protocol 1 to a protocol-1 client: no code it cannot read, the same sentence', async () => {
    // A note on an incident nobody declared: protocol 2 says 'not-found', which protocol 1 does
    // not know; its push-ack parser would fail and it would push the same event forever.
    const note = () => makeEvent(newId(), 'note', { text: 'on nothing' }, 'Ana');
    const v2 = await connected(hub.hub.url, { token, protocol: 2 });
    const v1 = await connected(hub.hub.url, { token });
    const a2: PushAck = await v2.timeout(5000).emitWithAck('push', { events: [note()] });
    const a1: PushAck = await v1.timeout(5000).emitWithAck('push', { events: [note()] });
    expect(a2.rejected[0]).toMatchObject({ code: 'not-found' });
    expect(a1.rejected[0]).toMatchObject({ code: 'forbidden' });
    expect(a1.rejected[0]!.message.replace(/INC-\w+/, 'REF')).toBe(a2.rejected[0]!.message.replace(/INC-\w+/, 'REF'));
  });

  it('refuses a client newer than itself at connect, saying to upgrade the hub, without counting a failed sign-in', async () => {
    const failures = hub.hub.metrics.authFailures;
    expect(await handshake(hub.hub.url, { token, protocol: 99 })).toEqual({
      code: 'incompatible',
      message: 'this hub speaks protocol 2 and your Conn speaks 99: upgrade the hub',
    });
    expect(await handshake(hub.hub.url, { token, protocol: 'two' })).toMatchObject({ code: 'incompatible', message: expect.stringMatching(/cannot read the protocol version your Conn sent: upgrade the hub/) as unknown });
    expect(hub.hub.metrics.authFailures).toBe(failures);
    expect(hub.hub.metrics.render()).toMatch(/conn_hub_incompatible_total\{upgrade="hub"\} 2/);
  });

  it('cannot be started requiring clients newer than itself', () => {
    expect(() => protocolRange({ minClientProtocol: 3 })).toThrow(/cannot require clients to speak 3/);
  });
});

describe('a hub that requires a newer Conn', () => {
  let newer: HubFixture;
  let anaToken: string;
  beforeAll(async () => {
    newer = await startHub({ protocolVersion: 3, minClientProtocol: 3 });
    anaToken = await newer.invite('payments', 'Ana');
  });
  afterAll(() => newer.dispose());

  it('refuses an older client with a sentence that says to upgrade Conn', async () => {
    expect(await handshake(newer.hub.url, { token: anaToken })).toEqual({
      code: 'incompatible',
      message: 'this hub speaks protocol 3 (it serves only 3) and your Conn speaks 1: upgrade Conn',
    });
    expect(newer.hub.metrics.render()).toMatch(/conn_hub_incompatible_total\{upgrade="conn"\} 1/);
  });

  it("shows the sentence in the running cockpit's status, and stops trying", async () => {
    const ana = cockpit('Ana');
    saveConnection(ana, { url: newer.hub.url, token: anaToken });
    const engine = new SyncEngine(ana, { url: newer.hub.url, token: anaToken, reconnectDelayMs: 50 });
    engine.start();
    const s = (await until(() => engine.status(), (x) => x.state === 'error')) as EngineStatus;
    expect(s).toMatchObject({
      errorCode: 'incompatible',
      error: `this hub speaks protocol 3 (it serves only 3) and your Conn speaks ${HUB_PROTOCOL_VERSION}: upgrade Conn`,
    });
    await engine.stop();
  });

  it('makes `conn connect` and `conn sync` exit 5 with the sentence, keeping what is written here', async () => {
    const dir = tempDir();
    expect((await conn(dir, 'profile', '--name', 'Ana')).code).toBe(0);
    const refused = await conn(dir, 'connect', newer.hub.url, '--token', anaToken);
    expect(refused.code).toBe(5);
    expect(refused.err).toMatch(/upgrade Conn\. Nothing was saved/);

    expect((await conn(dir, 'connect', newer.hub.url, '--token', anaToken, '--offline')).code).toBe(0);
    expect((await conn(dir, 'declare', 'Checkout is down', '--sev', '1')).code).toBe(0);
    const sync = await conn(dir, '--json', 'sync');
    expect(sync.code).toBe(5);
    expect(JSON.parse(sync.err.trim())).toEqual({
      error: { code: 'incompatible', message: `this hub speaks protocol 3 (it serves only 3) and your Conn speaks ${HUB_PROTOCOL_VERSION}: upgrade Conn. 1 event kept here and will sync next time` },
    });
  });
});

describe('a hub newer than this Conn that still serves it', () => {
  it('lets the cockpit sync as usual, and reports the hub version it saw', async () => {
    const newer = await startHub({ protocolVersion: 3, minClientProtocol: 2 });
    try {
      const bo = cockpit('Bo');
      const boToken = await newer.invite('payments', 'Bo');
      const engine = new SyncEngine(bo, { url: newer.hub.url, token: boToken, reconnectDelayMs: 50 });
      bo.incidents.declare({ title: 'Search is slow', severity: 2 });
      engine.start();
      const s = (await until(() => engine.status(), (x) => x.state === 'online' && x.pending === 0)) as EngineStatus;
      expect(s).toMatchObject({ hubProtocol: 3, rejected: 0 });
      expect(s.error).toBeUndefined();
      await engine.stop();
    } finally {
      await newer.dispose();
    }
  });
});
