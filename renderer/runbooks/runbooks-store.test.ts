import { beforeEach, describe, expect, it, vi } from 'vitest';

/*
 * The library view's search scheduling, against a core whose answers the test releases one by
 * one: what is sent while typing fast, which answers are shown, and when the list is re-fetched.
 */

interface Call {
  method: string;
  params: { query?: string };
  answer(value: unknown): void;
  fail(err: Error): void;
}
const calls: Call[] = [];
vi.mock('../api/client.js', () => ({
  rpc: () => ({
    call: (method: string, params: { query?: string }) =>
      new Promise((resolve, reject) => {
        calls.push({ method, params, answer: resolve, fail: reject });
      }),
  }),
}));

const { useRunbooksStore, refreshLibrary, loadLibrary } = await import('./runbooks-store.js');
const hit = (name: string) => ({ name, title: name, snippet: [] });
const settle = () => new Promise((r) => setTimeout(r, 0));

beforeEach(async () => {
  // Finish anything a previous test left in flight, then start from an empty box.
  while (calls.length) {
    calls.shift()!.answer([]);
    await settle();
  }
  useRunbooksStore.setState({ query: '', results: [], error: null });
});

describe('runbook search while typing', () => {
  it('sends the first keystroke at once, holds the rest, then sends only the latest', async () => {
    const { setQuery } = useRunbooksStore.getState();
    setQuery('d');
    setQuery('da');
    setQuery('dat');
    expect(calls.map((c) => c.params.query)).toEqual(['d']);
    calls.shift()!.answer([hit('old')]);
    await settle();
    // The answer for "d" is not shown: the box says "dat" now.
    expect(useRunbooksStore.getState().results).toEqual([]);
    expect(calls.map((c) => c.params.query)).toEqual(['dat']);
    calls.shift()!.answer([hit('database-failover')]);
    await settle();
    expect(useRunbooksStore.getState().results).toEqual([hit('database-failover')]);
  });

  it('shows a bad query as a message and keeps the last results', async () => {
    useRunbooksStore.getState().setQuery('x');
    calls.shift()!.answer([hit('x')]);
    await settle();
    useRunbooksStore.getState().setQuery('"');
    calls.shift()!.fail(new Error('type a word to search for'));
    await settle();
    expect(useRunbooksStore.getState().error).toBe('type a word to search for');
    expect(useRunbooksStore.getState().results).toEqual([hit('x')]);
  });

  it('lists the library once, shows it again from memory when the box is cleared, and re-fetches after a change', async () => {
    loadLibrary();
    expect(calls.map((c) => c.method)).toEqual(['runbooks.list']);
    calls.shift()!.answer([hit('a'), hit('b')]);
    await settle();
    useRunbooksStore.getState().setQuery('a');
    calls.shift()!.answer([hit('a')]);
    await settle();
    useRunbooksStore.getState().setQuery('');
    expect(calls).toHaveLength(0);
    expect(useRunbooksStore.getState().results).toEqual([hit('a'), hit('b')]);
    refreshLibrary(); // a teammate published: the cached list is stale
    expect(calls.map((c) => c.method)).toEqual(['runbooks.list']);
    calls.shift()!.answer([hit('a'), hit('b'), hit('c')]);
    await settle();
    expect(useRunbooksStore.getState().results).toHaveLength(3);
  });

  it('shows an old list at once but fetches it again, since another process may have imported', async () => {
    loadLibrary();
    calls.shift()!.answer([hit('a')]);
    await settle();
    useRunbooksStore.getState().setQuery('a');
    calls.shift()!.answer([hit('a')]);
    await settle();
    const now = Date.now();
    const clock = vi.spyOn(Date, 'now').mockReturnValue(now + 60_000);
    useRunbooksStore.getState().setQuery('');
    expect(useRunbooksStore.getState().results).toEqual([hit('a')]);
    expect(calls.map((c) => c.method)).toEqual(['runbooks.list']);
    calls.shift()!.answer([hit('a'), hit('imported-from-a-terminal')]);
    await settle();
    expect(useRunbooksStore.getState().results).toHaveLength(2);
    clock.mockRestore();
  });

  it('fetches the list afresh when the view opens', () => {
    loadLibrary();
    expect(calls.map((c) => c.method)).toEqual(['runbooks.list']);
  });
});
