import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRpcServer } from '../../main/core/api/rpc-server.js';
import { openCore, type Core } from '../../main/core/open.js';
import { createCoreClient } from '../../main/shell/core-client.js';
import { isCoreProcessMessage, serveOverPort } from '../../main/shell/core-port.js';
import { MessageChannelMain, resetElectronMock, type FakeMessagePortMain } from '../mocks/electron.js';

/*
 * The core process's side of the port against a real core on a real SQLite file, and main's
 * client on the other end: the same path a window's requests take, minus Chromium.
 */
let core: Core;
let channel: MessageChannelMain;

beforeEach(() => {
  resetElectronMock();
  core = openCore({ dataDir: mkdtempSync(path.join(tmpdir(), 'conn-core-port-')) });
  channel = new MessageChannelMain();
  serveOverPort(channel.port1, createRpcServer(core));
});
afterEach(async () => {
  await core.close();
});

function received(port: FakeMessagePortMain): string[] {
  const out: string[] = [];
  port.on('message', (e: { data: string }) => out.push(e.data));
  port.start();
  return out;
}

describe('the core served over a MessagePort', () => {
  it('answers a request from main\'s client with the core\'s result', async () => {
    const client = createCoreClient();
    client.attach(channel.port2);
    const declared = (await client.call('incidents.declare', { title: 'Checkout 500s', severity: 1 })) as { ref: string };
    expect(declared.ref).toMatch(/^INC-/);
    const list = (await client.call('incidents.list', {})) as Array<{ title: string }>;
    expect(list.map((i) => i.title)).toEqual(['Checkout 500s']);
  });

  it('pushes a notification when an incident changes', async () => {
    const client = createCoreClient();
    client.attach(channel.port2);
    const seen: string[] = [];
    client.onNotification((n) => seen.push(n.type));
    await client.call('incidents.declare', { title: 'Queue backlog', severity: 2 });
    await vi.waitFor(() => expect(seen.length).toBeGreaterThan(0));
  });

  it('rejects a call with the core\'s error code and sentence', async () => {
    const client = createCoreClient();
    client.attach(channel.port2);
    await expect(client.call('incidents.get', { ref: 'INC-000000' })).rejects.toMatchObject({ code: 'not-found', message: expect.stringMatching(/no incident INC-000000/) });
  });

  it('answers a non-string message with an error instead of crashing', async () => {
    const out = received(channel.port2);
    channel.port2.postMessage({ id: 1, method: 'incidents.list', params: {} });
    await vi.waitFor(() => expect(out).toHaveLength(1));
    expect(JSON.parse(out[0]!)).toMatchObject({ error: { code: 'invalid-input' } });
  });

  it('stops sending to a closed port', async () => {
    const out = received(channel.port2);
    channel.port2.close();
    core.incidents.declare({ title: 'After close', severity: 3 });
    await new Promise((r) => setTimeout(r, 20));
    expect(out).toEqual([]);
  });

  it('fails calls in flight when the core restarts instead of leaving them hanging', async () => {
    const client = createCoreClient();
    const silent = new MessageChannelMain(); // nobody serves this one
    client.attach(silent.port2);
    const pending = client.call('incidents.list', {});
    client.attach(channel.port2);
    await expect(pending).rejects.toThrow(/restarted/);
    await expect(client.call('incidents.list', {})).resolves.toEqual([]);
  });

  it('times out a call the core never answers', async () => {
    const client = createCoreClient(30);
    client.attach(new MessageChannelMain().port2);
    await expect(client.call('sync.status', {})).rejects.toThrow(/did not answer/);
  });
});

describe('messages on the core process parent port', () => {
  it('accepts the ones main sends and nothing else', () => {
    expect(isCoreProcessMessage({ type: 'init', dataDir: '/d', hubToken: null })).toBe(true);
    expect(isCoreProcessMessage({ type: 'hub-token', token: 'conn_a_b' })).toBe(true);
    expect(isCoreProcessMessage({ type: 'connect' })).toBe(true);
    expect(isCoreProcessMessage({ type: 'init', dataDir: 7, hubToken: null })).toBe(false);
    expect(isCoreProcessMessage({ type: 'hub-token', token: 5 })).toBe(false);
    expect(isCoreProcessMessage({ type: 'eval', code: '1' })).toBe(false);
    expect(isCoreProcessMessage('init')).toBe(false);
    expect(isCoreProcessMessage(null)).toBe(false);
  });
});
