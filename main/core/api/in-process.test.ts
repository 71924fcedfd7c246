import { afterEach, describe, expect, it } from 'vitest';
import { RpcCallError } from '../../../shared/api/rpc-client.js';
import { tempCore } from '../../../test/core/temp-core.js';
import { inProcessClient } from './in-process.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});
function client(log?: (err: unknown) => void) {
  const t = tempCore();
  cleanups.push(t.cleanup);
  return { core: t.core, api: inProcessClient(t.core, log ? { log } : {}) };
}
const failure = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);

describe('the in-process client', () => {
  it('declares, appends and reads through the same typed calls as the app', async () => {
    const { api } = client();
    const { id, ref } = await api.call('incidents.declare', { title: 'Checkout down', severity: 1 });
    const note = await api.call('events.append', { incidentId: id, kind: 'note', payload: { text: 'hi' } });
    expect(note).toMatchObject({ incidentId: id, kind: 'note', payload: { text: 'hi' } });
    const w = await api.call('timeline.window', { incidentId: id });
    expect(w.items.map((i) => i.kind)).toEqual(['incident.declared', 'note']);
    expect(await api.call('incidents.get', { ref: ref.toLowerCase() })).toMatchObject({ id, severity: 1 });
  });

  it('answers with JSON, as the other transports do: no undefined fields, no class instances', async () => {
    const { api } = client();
    const { id } = await api.call('incidents.declare', { title: 'Checkout down', severity: 1 });
    const state = await api.call('incidents.get', { ref: id });
    expect(JSON.parse(JSON.stringify(state))).toStrictEqual(state);
    expect(Object.getPrototypeOf(state)).toBe(Object.prototype);
  });

  it("rejects with the core's code and sentence as an RpcCallError", async () => {
    const { api } = client();
    const missing = await failure(api.call('incidents.get', { ref: 'INC-ZZZZZZ' }));
    expect(missing).toBeInstanceOf(RpcCallError);
    expect(missing).toMatchObject({ code: 'not-found', message: expect.stringMatching(/no incident INC-ZZZZZZ/) });
    const bad = await failure(api.call('incidents.declare', { title: 'x', severity: 9 as 1 }));
    expect(bad).toMatchObject({ code: 'invalid-input' });
  });

  it('reports a failure that is not a ConnError as "internal", and hands it to the log', async () => {
    const seen: unknown[] = [];
    const { core, api } = client((err) => seen.push(err));
    core.profile.get = () => {
      throw new Error('disk on fire');
    };
    expect(await failure(api.call('profile.get', {}))).toMatchObject({ code: 'internal' });
    expect(seen).toEqual([expect.objectContaining({ message: 'disk on fire' })]);
  });

  it("forwards the core's notifications until it is closed, then answers calls as unavailable", async () => {
    const { api } = client();
    const seen: string[] = [];
    api.onNotification((n) => seen.push(n.type));
    await api.call('incidents.declare', { title: 'Checkout down', severity: 1 });
    expect(seen).toContain('incidents-changed');
    api.channel.close();
    seen.length = 0;
    expect(await failure(api.call('incidents.list', {}))).toMatchObject({ code: 'unavailable', message: 'the core is closed' });
    expect(seen).toEqual([]);
  });
});
