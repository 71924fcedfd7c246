import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConnBridge } from '../../shared/api/bridge.js';
import { MAX_RPC_BYTES } from '../../shared/api/contract.js';
import { ipcRenderer, mock, resetElectronMock } from '../mocks/electron.js';

/** A DOM MessagePort stand-in: what the preload receives in event.ports. */
class FakePort {
  onmessage: ((e: { data: unknown }) => void) | null = null;
  sent: unknown[] = [];
  started = false;
  closed = false;
  postMessage(m: unknown): void {
    this.sent.push(m);
  }
  start(): void {
    this.started = true;
  }
  close(): void {
    this.closed = true;
  }
  deliver(data: unknown): void {
    this.onmessage?.({ data });
  }
}

let bridge: ConnBridge;
let received: string[];
let run = 0;

beforeEach(async () => {
  resetElectronMock();
  // A fresh copy of the preload per test (vi.resetModules would also replace the mock we inspect).
  const fresh = `../../main/shell/preload.js?run=${++run}`;
  await import(/* @vite-ignore */ fresh);
  bridge = mock.exposed.get('connBridge') as ConnBridge;
  received = [];
  bridge.onMessage((m) => received.push(m));
});

describe('the preload', () => {
  it('exposes only window.connBridge, with only send, onMessage and host', () => {
    expect([...mock.exposed.keys()]).toEqual(['connBridge']);
    expect(Object.keys(bridge).sort()).toEqual(['host', 'onMessage', 'send']);
    expect(bridge.host).toBe('electron');
    expect(Object.isFrozen(bridge)).toBe(true);
    // Nothing reachable from the bridge is ipcRenderer or has its methods.
    for (const v of Object.values(bridge)) {
      expect(v).not.toBe(ipcRenderer);
      expect(typeof v === 'object' && v !== null && 'invoke' in v).toBe(false);
    }
  });

  it('sends requests to the core over the port main hands it', () => {
    const port = new FakePort();
    ipcRenderer._receive('core-port', [port]);
    bridge.send('{"id":1,"method":"incidents.list","params":{}}');
    expect(port.started).toBe(true);
    expect(port.sent).toEqual(['{"id":1,"method":"incidents.list","params":{}}']);
  });

  it('holds requests made before the port arrives and sends them in order', () => {
    bridge.send('{"id":1,"method":"profile.get","params":{}}');
    bridge.send('{"id":2,"method":"incidents.list","params":{}}');
    const port = new FakePort();
    ipcRenderer._receive('core-port', [port]);
    expect(port.sent).toEqual(['{"id":1,"method":"profile.get","params":{}}', '{"id":2,"method":"incidents.list","params":{}}']);
  });

  it('passes the core\'s string messages to listeners and drops anything else', () => {
    const port = new FakePort();
    ipcRenderer._receive('core-port', [port]);
    port.deliver('{"id":1,"result":[]}');
    port.deliver({ id: 2, result: 'an object, not a string' });
    port.deliver('x'.repeat(MAX_RPC_BYTES + 1));
    expect(received).toEqual(['{"id":1,"result":[]}']);
  });

  it('switches to a new port after a core restart and closes the old one', () => {
    const first = new FakePort();
    const second = new FakePort();
    ipcRenderer._receive('core-port', [first]);
    ipcRenderer._receive('core-port', [second]);
    bridge.send('{"id":3,"method":"sync.status","params":{}}');
    expect(first.closed).toBe(true);
    expect(second.sent).toHaveLength(1);
  });

  it('refuses a message that is not a string or is too large', () => {
    expect(() => bridge.send({ id: 1 } as unknown as string)).toThrow(TypeError);
    expect(() => bridge.send('x'.repeat(MAX_RPC_BYTES + 1))).toThrow(RangeError);
    expect(() => bridge.onMessage('not a function' as unknown as () => void)).toThrow(TypeError);
  });

  it('routes shell.* methods to the IPC registry and answers as an RpcResponse', async () => {
    ipcRenderer.invokeImpl = async () => ({ ok: true, result: { version: '0.1.0' } });
    bridge.send('{"id":7,"method":"shell.appInfo","params":{}}');
    await vi.waitFor(() => expect(received).toHaveLength(1));
    expect(ipcRenderer.invoked).toEqual([{ channel: 'shell.appInfo', args: [{}] }]);
    expect(JSON.parse(received[0]!)).toEqual({ id: 7, result: { version: '0.1.0' } });
  });

  it('answers a refused shell call with its error', async () => {
    ipcRenderer.invokeImpl = async () => ({ ok: false, error: { code: 'invalid-input', message: 'shell.openExternal: only https links open outside Conn.' } });
    bridge.send('{"id":8,"method":"shell.openExternal","params":{"url":"file:///etc/passwd"}}');
    await vi.waitFor(() => expect(received).toHaveLength(1));
    expect(JSON.parse(received[0]!)).toMatchObject({ id: 8, error: { code: 'invalid-input' } });
  });

  it('never invokes an IPC channel that is not a shell method', () => {
    const port = new FakePort();
    ipcRenderer._receive('core-port', [port]);
    bridge.send('{"id":9,"method":"conn:core-port","params":{}}');
    bridge.send('{"id":10,"method":"shell.evil","params":{}}');
    expect(ipcRenderer.invoked).toEqual([]);
    expect(port.sent).toHaveLength(2); // the core answers these with "unknown method"
  });

  it('forwards deep links and the quick-note hotkey from main, and nothing malformed', () => {
    ipcRenderer._receive('conn:shell-event', [], { type: 'open-incident', ref: 'INC-7KQ2XM' });
    ipcRenderer._receive('conn:shell-event', [], { type: 'quick-note' });
    ipcRenderer._receive('conn:shell-event', [], { type: 'open-incident', ref: '../../etc' });
    ipcRenderer._receive('conn:shell-event', [], { type: 'quick-note', extra: '<script>' });
    ipcRenderer._receive('conn:shell-event', [], 'quick-note');
    expect(received.map((m) => JSON.parse(m))).toEqual([{ type: 'open-incident', ref: 'INC-7KQ2XM' }, { type: 'quick-note' }]);
  });

  it('stops calling a listener after it unsubscribes', () => {
    const port = new FakePort();
    ipcRenderer._receive('core-port', [port]);
    const late: string[] = [];
    const off = bridge.onMessage((m) => late.push(m));
    port.deliver('{"type":"sync-changed"}');
    off();
    port.deliver('{"type":"sync-changed"}');
    expect(late).toHaveLength(1);
  });
});
