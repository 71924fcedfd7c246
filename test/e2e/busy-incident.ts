import { openCore } from '../../main/core/open.js';
import type { ConnEvent } from '../../shared/domain/events.js';
import { newId } from '../../shared/domain/ids.js';
import { formatHlc } from '../../shared/sync/hlc.js';
import { tempDir } from './conn-processes.js';

/** Entries in the busy incident's timeline besides its declaration and role. */
export const BUSY_ENTRIES = 60;

const KINDS = ['note', 'note', 'decision', 'note', 'hypothesis'] as const;

/**
 * A SEV1 a few hours into the night, seeded through the core before `conn web` opens the data
 * dir (sixty CLI calls would take a minute): a commander, services and a summary, and entries
 * from yesterday evening to now, so the timeline has a day boundary in Europe/Berlin.
 */
export async function seedBusyIncident(name = 'Priya Raman'): Promise<{ dataDir: string; incidentId: string; ref: string }> {
  const dataDir = tempDir('busy');
  const core = openCore({ dataDir });
  core.profile.set({ name, timeZone: 'Europe/Berlin', workingHours: '00:00-23:59' });
  const { id: incidentId, ref } = core.incidents.declare({
    title: 'Checkout returns 502 for EU customers',
    severity: 1,
    services: ['checkout-api', 'payments'],
    summary: 'EU customers cannot pay: **38%** of checkouts fail since the 14:02 deploy.\n\nMore detail below.',
  });
  core.events.appendLocal(incidentId, 'role.assigned', { role: 'commander', person: name });
  // From 30 hours ago to a minute ago, spread evenly: at least one midnight in between.
  const start = Date.now() - 30 * 3600_000;
  const step = (30 * 3600_000 - 60_000) / BUSY_ENTRIES;
  const events = Array.from({ length: BUSY_ENTRIES }, (_, i) => ({
    id: newId(),
    incidentId,
    hlc: formatHlc({ wall: Math.round(start + i * step), counter: 0 }),
    author: { id: 'jonas', name: 'Jonas Berg' },
    kind: KINDS[i % KINDS.length],
    payload: { text: `Entry number ${i}: pool saturation on \`db-eu-${i % 3}\`` },
  })) as ConnEvent[];
  core.events.ingest(events);
  await core.close();
  return { dataDir, incidentId, ref };
}
