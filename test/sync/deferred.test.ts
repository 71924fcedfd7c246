import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEvent, type ConnEvent } from '../../shared/domain/events.js';
import { newId } from '../../shared/domain/ids.js';
import { LIMITS } from '../../shared/domain/limits.js';
import { readCursor, writeCursor } from '../../main/core/sync/cursor.js';
import { deferredCount, retryDeferred, storeDeferred } from '../../main/core/sync/deferred.js';
import type { EngineStatus } from '../../main/core/sync/engine.js';
import { declare, makeEvent, startHub, type HubFixture } from '../hub/hub-fixture.js';
import { teammate, until, type Teammate } from './sync-fixture.js';

/* Pulled events a cockpit cannot parse yet (a kind from a newer Conn) wait for an upgrade. */

let f: HubFixture;
const team: Teammate[] = [];

beforeAll(async () => {
  f = await startHub();
});
afterAll(async () => {
  for (const t of team) {
    await t.offline();
    await t.core.close();
  }
  await f.dispose();
});

/** An event of a kind this Conn does not know, as a newer Conn would write it. */
function future(incidentId: string): ConnEvent {
  return { ...makeEvent(incidentId, 'note', { text: 'x' }, 'Ana'), kind: 'incident.linked', payload: { other: newId(), why: 'same root cause' } } as unknown as ConnEvent;
}

/** "Upgraded" parser: reads incident.linked as a note. */
function upgraded(raw: unknown): ConnEvent {
  const e = raw as { kind: string; payload: { why: string } };
  return e.kind === 'incident.linked' ? parseEvent({ ...e, kind: 'note', payload: { text: e.payload.why } }) : parseEvent(raw);
}

const deferredRows = (t: Teammate) => t.core.db.prepare('SELECT seq, body IS NOT NULL AS kept, error FROM deferred_events ORDER BY seq').all();

describe('pulled events this Conn cannot parse', () => {
  let ana: Teammate;
  let incidentId: string;
  let linked: ConnEvent;

  it('are kept raw while the cursor moves past them and the rest of the page applies', async () => {
    const token = await f.invite('future', 'Ana');
    const member = (await f.store.authenticate(token))!;
    incidentId = newId();
    linked = future(incidentId);
    // Straight into the hub's store, as a newer cockpit's push would land.
    await f.store.commit(member, [declare(incidentId, 'Ana'), makeEvent(incidentId, 'note', { text: 'before' }, 'Ana'), linked, makeEvent(incidentId, 'note', { text: 'after' }, 'Ana')]);
    const head = await f.store.head(member.teamId);
    ana = teammate('Ana', () => f.hub.url, token);
    team.push(ana);
    ana.online();
    const s = (await until(() => ana.engine!.status(), (x) => x.state === 'online' && x.cursor === head)) as EngineStatus;
    expect(s.deferred).toBe(1);
    expect(ana.core.timeline({ incidentId, limit: 10 }).items.map((i) => i.text)).toEqual(expect.arrayContaining(['before', 'after']));
    expect(ana.core.events.get(linked.id)).toBeUndefined();
    expect(deferredRows(ana)).toEqual([{ seq: 3, kept: 1, error: expect.stringMatching(/invalid event/) }]);
  });

  it('are not stored twice when the same page is pulled again', async () => {
    await ana.offline();
    writeCursor(ana.core.db, 0);
    const before = deferredRows(ana);
    ana.online();
    await until(() => ana.engine!.status(), (x) => x.state === 'online' && x.cursor === 4);
    expect(deferredRows(ana)).toEqual(before);
    expect([...ana.core.events.eventsOf(incidentId)]).toHaveLength(3);
  });

  it('are ingested exactly once after an upgrade, and the table empties', async () => {
    await ana.offline();
    expect(retryDeferred(ana.core)).toBe(0);
    expect(deferredCount(ana.core.db)).toBe(1);
    expect(retryDeferred(ana.core, upgraded)).toBe(1);
    expect(deferredCount(ana.core.db)).toBe(0);
    expect(retryDeferred(ana.core, upgraded)).toBe(0);
    expect(ana.core.events.get(linked.id)).toMatchObject({ kind: 'note', payload: { text: 'same root cause' } });
    expect([...ana.core.events.eventsOf(incidentId)]).toHaveLength(4);
    expect(readCursor(ana.core.db)).toBe(4);
  });

  it('are ingested when the engine starts, once they parse', async () => {
    // A row an older Conn left behind whose body this Conn reads.
    const later = makeEvent(incidentId, 'note', { text: 'deferred by an older Conn' }, 'Ana');
    storeDeferred(ana.core.db, [{ seq: 99, body: JSON.stringify(later), error: 'invalid event at kind' }]);
    storeDeferred(ana.core.db, [{ seq: 99, body: JSON.stringify(later), error: 'invalid event at kind' }]);
    expect(deferredCount(ana.core.db)).toBe(1);
    ana.online();
    const s = await until(() => ana.engine!.status(), (x) => x.state === 'online');
    expect(s.deferred).toBe(0);
    expect([...ana.core.events.eventsOf(incidentId)].filter((e) => e.id === later.id)).toHaveLength(1);
    expect(ana.core.timeline({ incidentId, limit: 10 }).items.filter((i) => i.text === 'deferred by an older Conn')).toHaveLength(1);
  });

  it('keep only a note for a body too large ever to be valid', () => {
    const db = ana.core.db;
    storeDeferred(db, [{ seq: 100, body: JSON.stringify({ kind: 'x', blob: 'y'.repeat(LIMITS.eventBytes) }), error: 'too big' }]);
    expect(db.prepare('SELECT body, size > ? AS over, error FROM deferred_events WHERE seq = 100').get(LIMITS.eventBytes)).toEqual({
      body: null,
      over: 1,
      error: expect.stringMatching(/not kept: .*event limit/),
    });
    expect(deferredCount(db)).toBe(1);
  });
});
