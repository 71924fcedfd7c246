import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RpcCallError, RpcClient } from './rpc-client.js';
import { websocketTransport } from './websocket-transport.js';

/** A browser WebSocket stand-in: stays connecting until the test opens it, and records sends. */
class FakeSocket {
  static OPEN = 1;
  static last: FakeSocket | null = null;
  readyState = 0;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.last = this;
  }
  send(m: string) {
    this.sent.push(m);
  }
  close() {}
  open() {
    this.readyState = FakeSocket.OPEN;
    this.onopen?.();
  }
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.stubGlobal('WebSocket', FakeSocket);
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('websocket transport with the RPC client', () => {
  it('does not send a call the person was already told had failed when the connection comes back', async () => {
    const transport = websocketTransport('ws://127.0.0.1:1/rpc');
    const client = new RpcClient(transport);
    const call = client.call('events.append', { incidentId: '0190a5c4-0000-7000-8000-0000abcdef01', kind: 'note', payload: { text: 'rolled back' } });
    const failed = expect(call).rejects.toBeInstanceOf(RpcCallError);
    await vi.advanceTimersByTimeAsync(31_000);
    await failed;
    FakeSocket.last!.open();
    expect(FakeSocket.last!.sent).toEqual([]);
    transport.close();
  });

  it('still sends what was queued for a call that is still waiting', () => {
    const transport = websocketTransport('ws://127.0.0.1:1/rpc');
    const client = new RpcClient(transport);
    void client.call('profile.get', {});
    FakeSocket.last!.open();
    expect(FakeSocket.last!.sent).toHaveLength(1);
    transport.close();
  });
});
