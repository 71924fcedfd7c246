/*
 * Child process of durability.test.ts: writes events as fast as it can and prints each id
 * only after appendLocal has returned, i.e. after the commit. The parent kills it with SIGKILL.
 */
import { openCore } from '../../main/core/open.js';

const core = openCore({ dataDir: process.argv[2]! });
const existing = core.incidents.list({ all: true })[0];
const incidentId = existing?.id ?? core.incidents.declare({ title: 'Durability drill', severity: 2 }).id;
const statuses = ['investigating', 'identified', 'monitoring'] as const;
let lastNote: string | null = null;
for (let i = 0; ; i++) {
  let id: string;
  if (i % 5 === 1 && lastNote) id = core.events.appendLocal(incidentId, 'entry.edited', { target: lastNote, text: `edited ${i}` }).id;
  else if (i % 5 === 2) id = core.events.appendLocal(incidentId, 'status.changed', { status: statuses[i % 3]! }).id;
  else if (i % 5 === 3 && lastNote) id = core.events.appendLocal(incidentId, 'entry.pinned', { target: lastNote, pinned: i % 2 === 0 }).id;
  else {
    id = core.events.appendLocal(incidentId, 'note', { text: `note ${i} ${'x'.repeat(i % 200)}` }).id;
    lastNote = id;
  }
  process.stdout.write(`${id}\n`);
}
