import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { foldIncident, foldTimeline } from '../../shared/domain/fold.js';
import { openCore } from '../../main/core/open.js';
import { timelineItemFromRow, TIMELINE_COLUMNS, type TimelineRow } from '../../main/core/store/event-rows.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'conn-durability-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Runs the writer until it has reported some ids, then kills it with SIGKILL at a random moment. */
function writeThenKill(): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'durability-writer.ts'), dataDir], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const reported: string[] = [];
    let buffered = '';
    let stderr = '';
    let armed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      reported.push(...lines.filter(Boolean));
      if (!armed && reported.length > 0) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), 20 + Math.random() * 300);
      }
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited by itself (${code}): ${stderr}`));
      // A partial last line was not reported as saved: ignore it.
      else resolve(reported);
    });
  });
}

describe('durability', () => {
  it('keeps every event reported as saved across repeated kill -9, with an intact database and projections equal to the fold', async () => {
    const allReported: string[] = [];
    for (let round = 0; round < 5; round++) {
      allReported.push(...(await writeThenKill()));
      const core = openCore({ dataDir });
      try {
        expect(core.db.pragma('integrity_check', { simple: true })).toBe('ok');
        const stored = new Set((core.db.prepare('SELECT id FROM events').all() as Array<{ id: string }>).map((r) => r.id));
        const missing = allReported.filter((id) => !stored.has(id));
        expect(missing).toEqual([]);
        const incident = core.incidents.list({ all: true })[0]!;
        const events = [...core.events.eventsOf(incident.id)];
        const rows = core.db.prepare<[string], TimelineRow>(`SELECT ${TIMELINE_COLUMNS} FROM timeline_items WHERE incident_id = ? ORDER BY hlc, event_id`).all(incident.id);
        expect(rows.map(timelineItemFromRow)).toEqual(foldTimeline(events));
        expect(core.events.stateOf(incident.id)).toEqual(foldIncident(incident.id, events));
        expect(incident.eventCount).toBe(events.length);
      } finally {
        await core.close();
      }
    }
    expect(allReported.length).toBeGreaterThan(5);
  }, 120_000);
});
