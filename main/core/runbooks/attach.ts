import { ConnError } from '../../../shared/domain/errors.js';
import type { ConnEvent } from '../../../shared/domain/events.js';
import { LIMITS } from '../../../shared/domain/limits.js';
import type { AttachedRunbook } from '../../../shared/domain/fold.js';
import type { Core } from '../open.js';
import type { RunbookLibrary } from './library.js';

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

export interface StepRef {
  /** A step key (`promote-the-replica`), a unique key prefix, or a 1-based step number. */
  step: string;
  /** The runbook name or attach id, needed when more than one attached runbook has the step. */
  runbook?: string | undefined;
}

/** Finds the attached runbook and step a person means, or says exactly why it cannot. */
export function resolveStep(runbooks: AttachedRunbook[], ref: StepRef): { attach: AttachedRunbook; key: string } {
  if (runbooks.length === 0) throw new ConnError('not-found', 'no runbook is attached to this incident: attach one with `conn runbook attach REF NAME`');
  const pool = ref.runbook ? runbooks.filter((r) => r.name === ref.runbook || r.attachId === ref.runbook) : runbooks;
  if (pool.length === 0) throw new ConnError('not-found', `runbook "${ref.runbook}" is not attached to this incident (attached: ${runbooks.map((r) => r.name).join(', ')})`);
  const step = ref.step.trim();
  if (/^\d+$/.test(step)) {
    if (pool.length > 1) throw new ConnError('ambiguous', `${pool.length} runbooks are attached; say which with --runbook NAME`);
    const attach = pool[0] as AttachedRunbook;
    const s = attach.steps[Number(step) - 1];
    if (!s) throw new ConnError('not-found', `"${attach.name}" has steps 1 to ${attach.steps.length}; there is no step ${step}`);
    return { attach, key: s.key };
  }
  const exact = pool.flatMap((attach) => attach.steps.filter((s) => s.key === step).map((s) => ({ attach, key: s.key })));
  const hits = exact.length ? exact : pool.flatMap((attach) => attach.steps.filter((s) => s.key.startsWith(step)).map((s) => ({ attach, key: s.key })));
  if (hits.length === 1) return hits[0] as { attach: AttachedRunbook; key: string };
  if (hits.length === 0) throw new ConnError('not-found', `no step "${step}"; run \`conn runbook steps REF\` to see the step keys`);
  throw new ConnError('ambiguous', `"${step}" matches ${hits.map((h) => `${h.attach.name}:${h.key}`).join(', ')}; give more of the key or --runbook NAME`);
}

/** Marks a step done (or not done): a `runbook.step-done` event with who and when. */
export function checkStep(core: Core, refOrId: string, ref: StepRef, done = true): { event: ConnEvent; runbook: string; step: string } {
  const state = core.incidents.get(refOrId);
  const { attach, key } = resolveStep(state.runbooks, ref);
  const event = core.events.appendLocal(state.id, 'runbook.step-done', { target: attach.attachId, step: key, done });
  return { event, runbook: attach.name, step: key };
}
