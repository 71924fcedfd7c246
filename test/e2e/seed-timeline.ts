import type { Core } from '../../main/core/open.js';
import type { ConnEvent } from '../../shared/domain/events.js';
import { newId } from '../../shared/domain/ids.js';
import { formatHlc } from '../../shared/sync/hlc.js';

/**
 * `count` notes on an incident, one a second up to now, stored as if pulled from a hub: a long
 * timeline in a second, where as many CLI calls would take minutes. Seed before `conn web` opens
 * the same data dir.
 */
export function seedNotes(core: Core, incidentId: string, count: number, textOf: (i: number) => string = (i) => `Entry number ${i}`): void {
  const start = Date.now() - count * 1000;
  const events = Array.from({ length: count }, (_, i) => ({
    id: newId(),
    incidentId,
    hlc: formatHlc({ wall: start + i * 1000, counter: 0 }),
    author: { id: 'seeder', name: 'Seeder' },
    kind: 'note',
    payload: { text: textOf(i) },
  })) as ConnEvent[];
  core.events.ingest(events);
}
