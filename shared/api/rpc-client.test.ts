import { describe, expect, it } from 'vitest';
import type { CoreNotification, ShellNotification } from './contract.js';
import { RpcCallError, RpcClient, type RpcChannel } from './rpc-client.js';

/** A channel whose "core" is the test: it sees what was sent and pushes replies. */
function fakeTransport() {
  const sent: string[] = [];
  const listeners = new Set<(m: string) => void>();
  const transport: RpcChannel = {
    send: (m) => void sent.push(m),
    onMessage: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  return { transport, sent, push: (m: unknown) => listeners.forEach((l) => l(JSON.stringify(m))) };
}

describe('RpcClient', () => {
  it('matches answers to calls by id, whatever order they come back in', async () => {
    const t = fakeTransport();
    const client = new RpcClient(t.transport);
    const a = client.call('profile.get', {});
    const b = client.call('sync.status', {});
    const [ra, rb] = t.sent.map((s) => JSON.parse(s) as { id: number; method: string });
    expect(ra!.method).toBe('profile.get');
    t.push({ id: rb!.id, result: { state: 'online', pending: 0 } });
    t.push({ id: ra!.id, result: { name: 'Alice' } });
    expect(await a).toEqual({ name: 'Alice' });
    expect(await b).toEqual({ state: 'online', pending: 0 });
  });

  it('calls a shell method on the same channel, typed by the contract', async () => {
    const t = fakeTransport();
    const client = new RpcClient(t.transport);
    const support = client.callShell('shell.systemAudio', {});
    const sent = JSON.parse(t.sent[0]!) as { id: number; method: string; params: unknown };
    expect(sent).toMatchObject({ method: 'shell.systemAudio', params: {} });
    t.push({ id: sent.id, result: { available: false, reason: 'Linux' } });
    const r = await support;
    expect(r.available).toBe(false);
  });

  it("rejects with the core's code and sentence", async () => {
    const t = fakeTransport();
    const client = new RpcClient(t.transport);
    const call = client.call('incidents.get', { ref: 'INC-NOPE00' });
    const { id } = JSON.parse(t.sent[0]!) as { id: number };
    t.push({ id, error: { code: 'not-found', message: 'no incident INC-NOPE00: check the reference' } });
    await expect(call).rejects.toBeInstanceOf(RpcCallError);
    await expect(call).rejects.toMatchObject({ code: 'not-found', message: 'no incident INC-NOPE00: check the reference' });
  });

  it('hands messages without an id to notification subscribers and ignores junk', () => {
    const t = fakeTransport();
    const client = new RpcClient(t.transport);
    const got: Array<CoreNotification | ShellNotification> = [];
    client.onNotification((n) => got.push(n));
    t.push({ type: 'incident-changed', incidentId: 'x' });
    for (const l of [() => t.push('not an object'), () => t.push({ id: 999, result: 1 })]) l();
    expect(got).toEqual([{ type: 'incident-changed', incidentId: 'x' }]);
  });
});
