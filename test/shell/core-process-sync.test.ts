import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openCore } from '../../main/core/open.js';
import { saveConnection, tokenFile } from '../../main/core/sync/connection.js';
import { createCoreClient } from '../../main/shell/core-client.js';
import { startHub, type HubFixture } from '../hub/hub-fixture.js';
import { FakeParentPort, MessageChannelMain } from '../mocks/electron.js';

/*
 * The desktop's core process syncs with the hub `conn connect` configured, using the token main
 * decrypted from safeStorage rather than the CLI's plain file: a real hub on loopback, a real
 * core, the utility-process entry with a fake parent port.
 */
const parent = new FakeParentPort();
const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
let hub: HubFixture;
let dataDir: string;
let goodToken: string;

beforeAll(async () => {
  hub = await startHub();
  goodToken = await hub.invite('payments', 'Ana');
  const other = await hub.invite('payments', 'Old laptop');
  dataDir = mkdtempSync(path.join(tmpdir(), 'conn-core-process-sync-'));
  // The plain file holds a token with a wrong secret, which the hub refuses; only the safeStorage one works.
  const setup = openCore({ dataDir });
  saveConnection(setup, { url: hub.hub.url, token: `${other.slice(0, -4)}xxxx` });
  await setup.close();
  (process as unknown as { parentPort: FakeParentPort }).parentPort = parent;
  await import('../../main/shell/core-process.js');
});

afterAll(async () => {
  parent.emit('message', { data: { type: 'shutdown' }, ports: [] });
  await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(0));
  delete (process as unknown as { parentPort?: unknown }).parentPort;
  exit.mockRestore();
  await hub.dispose();
});

describe('sync in the core process', () => {
  it('connects to the configured hub with the token main hands over', async () => {
    parent.emit('message', { data: { type: 'init', dataDir, hubToken: goodToken }, ports: [] });
    const { port1, port2 } = new MessageChannelMain();
    parent.emit('message', { data: { type: 'connect' }, ports: [port1] });
    const client = createCoreClient();
    client.attach(port2);
    await vi.waitFor(async () => expect(await client.call('sync.status', {})).toMatchObject({ state: 'online' }), { timeout: 10_000, interval: 100 });
  });

  it('switches token when main sends a new one, and reports the hub refusing a bad one', async () => {
    parent.emit('message', { data: { type: 'hub-token', token: 'conn_nobody_nothing' }, ports: [] });
    const { port1, port2 } = new MessageChannelMain();
    parent.emit('message', { data: { type: 'connect' }, ports: [port1] });
    const client = createCoreClient();
    client.attach(port2);
    await vi.waitFor(async () => expect(await client.call('sync.status', {})).toMatchObject({ state: 'error' }), { timeout: 10_000, interval: 100 });
  });

  it('connects from the app (sync.connect) handing the token to main for safeStorage, never to a plain file', async () => {
    const { port1, port2 } = new MessageChannelMain();
    parent.emit('message', { data: { type: 'connect' }, ports: [port1] });
    const client = createCoreClient();
    client.attach(port2);
    const token = await hub.invite('payments', 'Ana again');
    expect(await client.call('sync.connect', { url: hub.hub.url, token })).toMatchObject({ state: 'online', hub: hub.hub.url });
    expect(parent.sent).toContainEqual({ type: 'keep-hub-token', token });
    expect(existsSync(tokenFile(dataDir))).toBe(false);
    expect(await client.call('sync.disconnect', {})).toMatchObject({ state: 'disabled' });
    expect(parent.sent.at(-1)).toEqual({ type: 'keep-hub-token', token: null });
  });
});
