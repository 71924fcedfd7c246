import { ConnError } from '../shared/domain/errors.js';
import type { AttachedRunbook } from '../shared/domain/fold.js';

/*
 * How a person names a step of an attached runbook on the command line. The app's checkbox
 * knows its step; a terminal has to say which one, so this is the CLI's own reading. Checking it
 * is `events.append` of `runbook.step-done`, as the app does.
 */

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
