import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventSchema, parseEvent, parsePlainEntry } from './events.js';
import { newId } from './ids.js';
import { LIMITS } from './limits.js';

/*
 * parsePlainEntry is zod's verdict on the commonest events, written out. It may decline
 * anything, but whatever it accepts must be exactly what EventSchema gives.
 */

const goodText = fc.string({ minLength: 1, maxLength: 40 }).filter((t) => t.trim() === t);
const text = fc.oneof(
  { arbitrary: goodText, weight: 8 },
  fc.string({ maxLength: 40 }),
  fc.constantFrom('', ' ', ' padded ', 'tab\t', '\u00a0nbsp', 'line\nbreak', 'quote " and \\ slash', 'ok'),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.integer({ min: LIMITS.textChars - 2, max: LIMITS.textChars + 2 }).map((n) => 'x'.repeat(n)),
  // Near the byte limit: escapes make a short string long on the wire.
  fc.integer({ min: 40_000, max: 50_000 }).map((n) => '\u0001'.repeat(n)),
);
const id = fc.oneof({ arbitrary: fc.constant(null).map(() => newId()), weight: 8 }, fc.constantFrom('', 'not-an-id', `${newId()} `, newId().toUpperCase(), 42));
const value = fc.oneof(text, fc.integer(), fc.constant(null), fc.constant(undefined), fc.boolean(), fc.array(fc.string(), { maxLength: 2 }), fc.object({ maxDepth: 1 }));

/** Mostly well-formed plain entries, with each part sometimes replaced, removed or joined by another key. */
const candidate = fc
  .record({
    id,
    incidentId: id,
    hlc: fc.oneof({ arbitrary: fc.constant('1764567890123-00042'), weight: 8 }, fc.constantFrom('1764567890123-0004', 'x', '17645678901230-00042', '')),
    author: fc.oneof({ arbitrary: fc.record({ id: fc.oneof({ arbitrary: fc.constant('me'), weight: 6 }, fc.constant(''), fc.string({ maxLength: 70 })), name: text }), weight: 8 }, value),
    kind: fc.constantFrom('note', 'decision', 'hypothesis', 'note', 'entry.edited', 'incident.declared', 'nope'),
    payload: fc.oneof({ arbitrary: fc.record({ text }), weight: 8 }, fc.record({ text, extra: value }), fc.record({ text, target: id }), value),
  })
  .chain((e) =>
    fc.oneof(
      { arbitrary: fc.constant(e as Record<string, unknown>), weight: 4 },
      fc.constantFrom('id', 'incidentId', 'hlc', 'author', 'kind', 'payload').map((k) => {
        const { [k]: _gone, ...rest } = e;
        return rest as Record<string, unknown>;
      }),
      fc.tuple(fc.constantFrom('supersedes', 'extra', '__proto__'), value).map(([k, v]) => JSON.parse(JSON.stringify({ ...e, [k]: v })) as Record<string, unknown>),
    ),
  );

describe('parsePlainEntry', () => {
  it("accepts only what zod accepts, giving zod's value", () => {
    let taken = 0;
    fc.assert(
      fc.property(candidate, (raw) => {
        const fast = parsePlainEntry(raw);
        const zod = EventSchema.safeParse(raw);
        if (fast === undefined) return;
        taken += 1;
        expect(zod.success).toBe(true);
        expect(fast).toStrictEqual(zod.data);
        expect(JSON.stringify(fast)).toBe(JSON.stringify(zod.data));
      }),
      { numRuns: 3000 },
    );
    // The generator reaches the fast path often enough for the comparison to mean something.
    expect(taken).toBeGreaterThan(100);
  });

  it('takes the common note, and leaves the rest to zod with its sentence', () => {
    const note = { id: newId(), incidentId: newId(), hlc: '1764567890123-00042', author: { id: 'me', name: 'Ann' }, kind: 'note', payload: { text: 'the cache is warm' } };
    expect(parsePlainEntry(note)).toEqual(note);
    expect(parsePlainEntry({ ...note, payload: { text: ' padded ' } })).toBeUndefined();
    expect(parseEvent({ ...note, payload: { text: ' padded ' } })).toMatchObject({ payload: { text: 'padded' } });
    expect(() => parseEvent({ ...note, payload: { text: '' } })).toThrow(/text is empty/);
    // Over the byte limit once escaped, though under the character limit: refused as too large.
    expect(() => parseEvent({ ...note, payload: { text: '\u0001'.repeat(49_000) } })).toThrow(/KiB/);
  });
});
