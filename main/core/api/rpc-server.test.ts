import { afterEach, describe, expect, it } from 'vitest';
import { MAX_RPC_BYTES, METHODS, type CoreNotification } from '../../../shared/api/contract.js';
import { tempCore } from '../../../test/core/temp-core.js';
import { HANDLERS } from './handlers.js';
import { createRpcServer } from './rpc-server.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});
function server() {
  const t = tempCore();
  cleanups.push(t.cleanup);
  return { core: t.core, rpc: createRpcServer(t.core) };
}
const call = async (rpc: ReturnType<typeof server>['rpc'], id: number, method: string, params: unknown) =>
  JSON.parse(await rpc.handle(JSON.stringify({ id, method, params })));

describe('the RPC server', () => {
  it('has a handler for every method of the contract', () => {
    expect(Object.keys(HANDLERS).sort()).toEqual(Object.keys(METHODS).sort());
  });

  it('declares, appends and reads a window through JSON strings', async () => {
    const { rpc } = server();
    const declared = await call(rpc, 1, 'incidents.declare', { title: 'Checkout down', severity: 1 });
    expect(declared.result.ref).toMatch(/^INC-/);
    const appended = await call(rpc, 2, 'events.append', { incidentId: declared.result.id, kind: 'note', payload: { text: 'hi' } });
    expect(appended).toMatchObject({ id: 2, result: { kind: 'note' } });
    const w = await call(rpc, 3, 'timeline.window', { incidentId: declared.result.id });
    expect(w.result.items.map((i: { kind: string }) => i.kind)).toEqual(['incident.declared', 'note']);
    expect(await call(rpc, 4, 'incidents.get', { ref: declared.result.ref.toLowerCase() })).toMatchObject({ result: { severity: 1, status: 'triage' } });
    expect(await call(rpc, 5, 'sync.status', {})).toEqual({ id: 5, result: { state: 'disabled', pending: 2 } });
  });

  it('answers bad params, unknown methods, bad JSON and oversized requests with an error code, never a throw', async () => {
    const { rpc } = server();
    expect(await call(rpc, 1, 'incidents.declare', { title: 'x', severity: 9 })).toMatchObject({ id: 1, error: { code: 'invalid-input' } });
    expect(await call(rpc, 2, 'incidents.drop', {})).toMatchObject({ id: 2, error: { code: 'not-found' } });
    expect(await call(rpc, 3, 'incidents.get', { ref: 'INC-ZZZZZZ' })).toMatchObject({ id: 3, error: { code: 'not-found' } });
    expect(JSON.parse(await rpc.handle('{nope'))).toMatchObject({ error: { code: 'invalid-input' } });
    expect(JSON.parse(await rpc.handle('x'.repeat(MAX_RPC_BYTES + 1)))).toMatchObject({ error: { code: 'too-large' } });
    expect(await call(rpc, 4, 'events.append', { incidentId: 'nope', kind: 'note', payload: {} })).toMatchObject({ error: { code: 'invalid-input' } });
  });

  it('pushes a notification when an incident changes', async () => {
    const { rpc } = server();
    const seen: CoreNotification[] = [];
    const off = rpc.onNotification((n) => seen.push(n));
    await call(rpc, 1, 'incidents.declare', { title: 'Checkout down', severity: 1 });
    off();
    await call(rpc, 2, 'incidents.declare', { title: 'Second', severity: 1 });
    expect(seen.filter((n) => n.type === 'incidents-changed')).toHaveLength(1);
  });
});
