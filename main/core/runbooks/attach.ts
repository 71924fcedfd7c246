import { ConnError } from '../../../shared/domain/errors.js';
import type { ConnEvent } from '../../../shared/domain/events.js';
import { LIMITS } from '../../../shared/domain/limits.js';
import type { Core } from '../open.js';
import type { RunbookLibrary } from '../store/runbook-library.js';

/**
 * Attaches a runbook version to an incident: one `runbook.attached` event that carries the
 * checklist itself, so every teammate sees the same steps even if their library has a different
 * version, and the retrospective shows what the responders actually followed.
 */
export function attachRunbook(core: Core, lib: RunbookLibrary, ref: string, name: string, version?: number): { event: ConnEvent; incidentId: string } {
  const incidentId = core.incidents.resolve(ref);
  const rb = lib.get(name, version);
  const payload = { runbookId: rb.runbookId, name: rb.name, version: rb.version, steps: rb.steps };
  // The hub refuses events over LIMITS.eventBytes; refuse here, before it is stored, not after.
  const bytes = new TextEncoder().encode(JSON.stringify(payload)).byteLength;
  if (bytes > LIMITS.eventBytes - 4096) {
    throw new ConnError('too-large', `the checklist of "${rb.name}" is ${Math.round(bytes / 1024)} KiB; an attached checklist is at most ${LIMITS.eventBytes / 1024 - 4} KiB: shorten its steps`);
  }
  const event = core.events.appendLocal(incidentId, 'runbook.attached', payload);
  return { event, incidentId };
}
