import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCoreClient } from '../../main/shell/core-client.js';
import { FakeParentPort, MessageChannelMain } from '../mocks/electron.js';

/*
 * The utility process entry, run in this process with a fake parent port (Electron gives a
 * utility process `process.parentPort`): init opens a real core on a real SQLite file, and each
 * connect port is served.
 */
const parent = new FakeParentPort();
const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
let dataDir: string;

beforeAll(async () => {
  (process as unknown as { parentPort: FakeParentPort }).parentPort = parent;
  dataDir = mkdtempSync(path.join(tmpdir(), 'conn-core-process-'));
  await import('../../main/shell/core-process.js');
});

afterAll(() => {
  delete (process as unknown as { parentPort?: unknown }).parentPort;
  exit.mockRestore();
});

describe('the core utility process', () => {
  it('opens the core on init and says it is ready', async () => {
    parent.emit('message', { data: { type: 'init', dataDir, hubToken: null }, ports: [] });
    await vi.waitFor(() => expect(parent.sent).toContainEqual({ type: 'ready' }));
  });

  it('serves the RPC on every port it is handed', async () => {
    for (const title of ['DNS flapping', 'Cert expired']) {
      const { port1, port2 } = new MessageChannelMain();
      parent.emit('message', { data: { type: 'connect' }, ports: [port1] });
      const client = createCoreClient();
      client.attach(port2);
      await client.call('incidents.declare', { title, severity: 2 });
    }
    const { port1, port2 } = new MessageChannelMain();
    parent.emit('message', { data: { type: 'connect' }, ports: [port1] });
    const client = createCoreClient();
    client.attach(port2);
    const list = (await client.call('incidents.list', {})) as Array<{ title: string }>;
    expect(list.map((i) => i.title).sort()).toEqual(['Cert expired', 'DNS flapping']);
  });

  it('ignores messages that are not from main\'s vocabulary', () => {
    const before = parent.sent.length;
    parent.emit('message', { data: { type: 'eval', code: 'process.exit(1)' }, ports: [] });
    parent.emit('message', { data: 'init', ports: [] });
    expect(parent.sent.length).toBe(before);
    expect(exit).not.toHaveBeenCalled();
  });

  it('accepts a new hub token without restarting (no hub configured: sync stays off)', () => {
    parent.emit('message', { data: { type: 'hub-token', token: 'conn_m_secret' }, ports: [] });
    expect(exit).not.toHaveBeenCalled();
  });

  it('closes the core and exits on shutdown', async () => {
    parent.emit('message', { data: { type: 'shutdown' }, ports: [] });
    await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(0));
  });
});
