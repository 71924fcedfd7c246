import { afterEach, describe, expect, it } from 'vitest';
import type { ConnEvent } from '../../../shared/domain/events.js';
import { refFromId } from '../../../shared/domain/incident-ref.js';
import { formatHlc } from '../../../shared/sync/hlc.js';
import { tempCore } from '../../../test/core/temp-core.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});
function setup() {
  const t = tempCore();
  cleanups.push(t.cleanup);
  return t.core;
}
function declaredRemotely(id: string, title: string, at: number): ConnEvent {
  return {
    id: id.replace(/^.{8}/, 'eeeeeeee'), incidentId: id, hlc: formatHlc({ wall: at, counter: 0 }), author: { id: 'p-bo', name: 'bo' },
    kind: 'incident.declared', payload: { title, severity: 2, services: [] },
  };
}

describe('incidents', () => {
  it('resolve a reference or an id in any letter case, forgiving O for 0 and the missing prefix', () => {
    const core = setup();
    const { id, ref } = core.incidents.declare({ title: 'Queue backlog', severity: 3 });
    expect(core.incidents.resolve(ref.toLowerCase())).toBe(id);
    expect(core.incidents.resolve(ref.slice(4))).toBe(id);
    expect(core.incidents.resolve(ref.replace(/0/g, 'O'))).toBe(id);
    expect(core.incidents.resolve(id.toUpperCase())).toBe(id);
  });

  it('say clearly when a reference names no incident, or two', () => {
    const core = setup();
    expect(() => core.incidents.resolve('INC-ZZZZZZ')).toThrow(expect.objectContaining({ code: 'not-found', message: expect.stringMatching(/conn list --all/) }));
    // Two ids with the same random tail share a reference: the id stays the real key.
    const a = '0190a5c4-0000-7000-8000-0000abcdef01';
    const b = '0190a5c5-1111-7000-9000-1111abcdef01';
    expect(refFromId(a)).toBe(refFromId(b));
    core.events.ingest([declaredRemotely(a, 'one', Date.now()), declaredRemotely(b, 'two', Date.now())]);
    expect(() => core.incidents.resolve(refFromId(a))).toThrow(expect.objectContaining({ code: 'ambiguous', message: expect.stringContaining(a) }));
    expect(core.incidents.get(b).title).toBe('two');
  });

  it('list active incidents worst first then oldest first, and resolved ones only with all', () => {
    const core = setup();
    const minor = core.incidents.declare({ title: 'minor', severity: 4 });
    const first = core.incidents.declare({ title: 'first sev1', severity: 1 });
    const second = core.incidents.declare({ title: 'second sev1', severity: 1 });
    const done = core.incidents.declare({ title: 'done', severity: 1 });
    core.events.appendLocal(done.id, 'status.changed', { status: 'resolved' });
    expect(core.incidents.list().map((i) => i.title)).toEqual(['first sev1', 'second sev1', 'minor']);
    expect(core.incidents.list({ all: true }).map((i) => i.title)).toEqual(['first sev1', 'second sev1', 'minor', 'done']);
    expect([minor, first, second].every((i) => core.incidents.get(i.ref).declared)).toBe(true);
  });

  it('refuse an empty title or a severity out of range without writing', () => {
    const core = setup();
    expect(() => core.incidents.declare({ title: '  ', severity: 2 })).toThrow(expect.objectContaining({ code: 'invalid-input', message: 'a title is required' }));
    expect(() => core.incidents.declare({ title: 'x', severity: 9 as 1 })).toThrow(expect.objectContaining({ code: 'invalid-input' }));
    expect(core.incidents.list({ all: true })).toEqual([]);
  });
});
