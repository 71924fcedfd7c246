import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { v7 } from 'uuid';
import { normaliseRef, RefSchema, refFromId } from './incident-ref.js';

describe('incident references', () => {
  it('are INC- and six Crockford symbols, and the same on every replica for the same id', () => {
    fc.assert(
      fc.property(fc.uuid({ version: 7 }), (id) => {
        const ref = refFromId(id);
        expect(RefSchema.safeParse(ref).success).toBe(true);
        expect(refFromId(id.toUpperCase())).toBe(ref);
      }),
    );
  });

  it('rarely collide: 2,000 fresh incidents give 2,000 distinct references', () => {
    const refs = new Set(Array.from({ length: 2000 }, () => refFromId(v7())));
    expect(refs.size).toBe(2000);
  });

  it.each([
    ['inc-7kq2xm', 'INC-7KQ2XM'],
    ['7kq2xm', 'INC-7KQ2XM'],
    [' INC7KQ2XM ', 'INC-7KQ2XM'],
    ['inc-okq2xi', 'INC-0KQ2X1'],
  ])('reads %j as %s (case, missing prefix, O/0 and I/1 as said aloud)', (typed, ref) => {
    expect(normaliseRef(typed)).toBe(ref);
  });
});
