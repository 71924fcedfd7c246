import { afterEach, describe, expect, it, vi } from 'vitest';
import { LatestOnlySearch } from './latest-only-search.js';

/*
 * The search dialogs' traffic while typing, against a core whose answers the test releases one
 * by one: what is sent, and which answers reach the box.
 */

function setup() {
  const sent: Array<{ query: string; answer(v: string): void; fail(e: Error): void }> = [];
  const shown: Array<string> = [];
  const box = new LatestOnlySearch<string>(
    (query) => new Promise<string>((answer, fail) => sent.push({ query, answer, fail })),
    (a) => shown.push('results' in a ? `${a.query} → ${a.results}` : `${a.query} ✗ ${(a.error as Error).message}`),
  );
  return { sent, shown, box };
}
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('search as you type in the dialogs', () => {
  it('sends the first keystroke at once, holds the rest, then sends only the latest', async () => {
    const { sent, shown, box } = setup();
    box.ask('d');
    box.ask('da');
    box.ask('dat');
    expect(sent.map((s) => s.query)).toEqual(['d']);
    sent[0]!.answer('old');
    await settle();
    // "d" is stale: the box says "dat", which is sent now and is the only answer shown.
    expect(shown).toEqual([]);
    expect(sent.map((s) => s.query)).toEqual(['d', 'dat']);
    sent[1]!.answer('database');
    await settle();
    expect(shown).toEqual(['dat → database']);
  });

  it('shows a refused query as an error, and only while it is the latest', async () => {
    const { sent, shown, box } = setup();
    box.ask('"');
    sent[0]!.fail(new Error('type a word to search for'));
    await settle();
    expect(shown).toEqual(['" ✗ type a word to search for']);
    box.ask('x');
    box.ask('xy');
    sent[1]!.fail(new Error('boom'));
    await settle();
    expect(shown).toHaveLength(1);
    sent[2]!.answer('hit');
    await settle();
    expect(shown.at(-1)).toBe('xy → hit');
  });

  it('after clear, neither the answer in flight nor the waiting query reaches the box', async () => {
    const { sent, shown, box } = setup();
    box.ask('re');
    box.ask('rep');
    box.clear();
    sent[0]!.answer('late');
    await settle();
    expect(shown).toEqual([]);
    expect(sent.map((s) => s.query)).toEqual(['re']);
  });

  it('typing back to the query in flight takes its answer without asking again', async () => {
    const { sent, shown, box } = setup();
    box.ask('a');
    box.ask('ab');
    box.ask('a');
    sent[0]!.answer('one');
    await settle();
    expect(shown).toEqual(['a → one']);
    expect(sent).toHaveLength(1);
  });
});

describe('the complete answer once typing pauses', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  function withSettle() {
    vi.useFakeTimers();
    const sent: Array<{ query: string; settled: boolean; answer(v: string): void }> = [];
    const shown: string[] = [];
    const ask = (settled: boolean) => (query: string) => new Promise<string>((answer) => sent.push({ query, settled, answer }));
    const box = new LatestOnlySearch<string>(ask(false), (a) => shown.push('results' in a ? `${a.query} → ${a.results}` : `${a.query} ✗`), {
      search: ask(true),
      pauseMs: 400,
    });
    return { sent, shown, box };
  }

  it('asks once more after the pause, and the complete answer replaces the keystroke one', async () => {
    const { sent, shown, box } = withSettle();
    box.ask('database');
    sent[0]!.answer('newest');
    await vi.advanceTimersByTimeAsync(399);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent.map((s) => [s.query, s.settled])).toEqual([
      ['database', false],
      ['database', true],
    ]);
    sent[1]!.answer('all');
    await vi.advanceTimersByTimeAsync(0);
    expect(shown).toEqual(['database → newest', 'database → all']);
  });

  it('a keystroke within the pause starts it again; only the last query is completed', async () => {
    const { sent, box } = withSettle();
    box.ask('da');
    await vi.advanceTimersByTimeAsync(300);
    box.ask('dat');
    await vi.advanceTimersByTimeAsync(300);
    expect(sent.filter((s) => s.settled)).toEqual([]);
    await vi.advanceTimersByTimeAsync(100);
    expect(sent.filter((s) => s.settled).map((s) => s.query)).toEqual(['dat']);
  });

  it("a keystroke answer arriving after the complete one for the same words does not replace it", async () => {
    const { sent, shown, box } = withSettle();
    box.ask('d');
    box.ask('db'); // waits behind "d"
    await vi.advanceTimersByTimeAsync(400);
    const complete = sent.find((s) => s.settled)!;
    expect(complete.query).toBe('db');
    complete.answer('all');
    await vi.advanceTimersByTimeAsync(0);
    sent[0]!.answer('stale');
    await vi.advanceTimersByTimeAsync(0);
    sent.find((s) => !s.settled && s.query === 'db')!.answer('newest');
    await vi.advanceTimersByTimeAsync(0);
    expect(shown).toEqual(['db → all']);
  });

  it('a complete answer for words no longer in the box, or after clear, is dropped', async () => {
    const { sent, shown, box } = withSettle();
    box.ask('cache');
    await vi.advanceTimersByTimeAsync(400);
    box.ask('cache m');
    sent.find((s) => s.settled)!.answer('old');
    await vi.advanceTimersByTimeAsync(0);
    expect(shown.filter((l) => l.includes('old'))).toEqual([]);
    box.clear();
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent.filter((s) => s.settled).map((s) => s.query)).toEqual(['cache']);
  });
});
