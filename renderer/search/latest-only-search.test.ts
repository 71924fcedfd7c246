import { describe, expect, it } from 'vitest';
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
