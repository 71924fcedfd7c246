import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConnEvent } from '../../../shared/domain/events.js';
import { foldIncident, foldTimeline } from '../../../shared/domain/fold.js';
import { hlcToDate } from '../../../shared/sync/hlc.js';
import { arbArrival, INCIDENT } from '../../../test/core/event-sets.js';
import { openCore, type Core } from '../open.js';
import { timelineItemFromRow, TIMELINE_COLUMNS, type TimelineRow } from './event-rows.js';
import { REDACTED_TEXT } from './redaction.js';

const root = mkdtempSync(path.join(tmpdir(), 'conn-projector-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

function storedTimeline(core: Core) {
  return core.db
    .prepare<[string], TimelineRow>(`SELECT ${TIMELINE_COLUMNS} FROM timeline_items WHERE incident_id = ? ORDER BY hlc, event_id`)
    .all(INCIDENT)
    .map(timelineItemFromRow);
}

function redactedIds(events: ConnEvent[]): Set<string> {
  return new Set(events.filter((e) => e.kind === 'entry.redacted').map((e) => (e.payload as { target: string }).target));
}

describe('SQLite projections', () => {
  it('equal the pure fold for any arrival order, batching and duplication of the same events', () => {
    fc.assert(
      fc.property(arbArrival, ({ events, batches }) => {
        const core = openCore({ dataDir: path.join(root, `p${n++}`) });
        try {
          for (const batch of batches) core.events.ingest(batch);
          expect(storedTimeline(core)).toEqual(foldTimeline(events));
          expect(core.events.stateOf(INCIDENT)).toEqual(foldIncident(INCIDENT, events));
          expect(core.db.prepare('SELECT event_count AS c FROM incidents WHERE id = ?').get(INCIDENT)).toEqual({ c: events.length });
        } finally {
          void core.close();
        }
      }),
      { numRuns: 60 },
    );
  });

  it('scrubs the words of a redacted entry and of its edits from every stored event, whatever the arrival order', () => {
    fc.assert(
      fc.property(arbArrival, ({ events, batches }) => {
        const redacted = redactedIds(events);
        fc.pre(redacted.size > 0);
        const core = openCore({ dataDir: path.join(root, `s${n++}`) });
        try {
          for (const batch of batches) core.events.ingest(batch);
          for (const e of core.events.eventsOf(INCIDENT)) {
            const p = e.payload as { target?: string; text?: string; brief?: string };
            const words = p.text ?? p.brief;
            const hit = redacted.has(e.id) || (p.target !== undefined && redacted.has(p.target) && e.kind !== 'entry.redacted');
            if (hit && words !== undefined) expect(words).toBe(REDACTED_TEXT);
          }
          const acc = (core.db.prepare('SELECT acc_json FROM incidents WHERE id = ?').get(INCIDENT) as { acc_json: string }).acc_json;
          for (const e of events) {
            const p = e.payload as { target?: string; text?: string };
            const target = e.kind === 'entry.edited' || e.kind === 'action.updated' ? p.target : e.id;
            if (target !== undefined && redacted.has(target) && p.text && !p.text.includes('[redacted]')) expect(acc).not.toContain(JSON.stringify(p.text));
          }
        } finally {
          void core.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('acknowledgement in the stored state', () => {
  const ackOf = (core: Core, id: string) => core.incidents.get(id).milestones.acknowledgedAt;
  const atOf = (e: ConnEvent) => hlcToDate(e.hlc).toISOString();

  it('is the first note when a note is the first act, and stays there after later notes', () => {
    const core = openCore({ dataDir: path.join(root, `a${n++}`) });
    try {
      const { id } = core.incidents.declare({ title: 'API down', severity: 2 });
      expect(ackOf(core, id)).toBeNull();
      const first = core.events.appendLocal(id, 'note', { text: 'looking at the dashboards' });
      core.events.appendLocal(id, 'note', { text: 'still looking' });
      core.events.appendLocal(id, 'status.changed', { status: 'investigating' });
      expect(ackOf(core, id)).toBe(core.events.stateOf(id)!.milestones.acknowledgedAt);
      expect(ackOf(core, id)).toBe(foldIncident(id, core.events.eventsOf(id)).milestones.acknowledgedAt);
      expect(ackOf(core, id)).toBe(atOf(first));
    } finally {
      void core.close();
    }
  });

  it('is measured again, once, for incidents stored before first acts were recorded', () => {
    const dataDir = path.join(root, `o${n++}`);
    const core = openCore({ dataDir });
    const { id } = core.incidents.declare({ title: 'API down', severity: 2 });
    const note = core.events.appendLocal(id, 'note', { text: 'on it' });
    // What an older Conn left behind: no first acts in the accumulator, no acknowledgement, no marker.
    core.db.prepare("UPDATE incidents SET acc_json = json_remove(acc_json, '$.firstActs'), state_json = json_set(state_json, '$.milestones.acknowledgedAt', NULL)").run();
    core.db.prepare("DELETE FROM sync_state WHERE key = 'projection.first-acts'").run();
    void core.close();
    const reopened = openCore({ dataDir });
    try {
      expect(ackOf(reopened, id)).toBe(atOf(note));
      expect(reopened.db.prepare("SELECT count(*) AS n FROM incidents WHERE json_type(acc_json, '$.firstActs') IS NULL").get()).toEqual({ n: 0 });
    } finally {
      void reopened.close();
    }
  });
});
