import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import type { AttachedRunbook } from '../../shared/domain/fold.js';

/** The calendar day an instant falls on in `zone`, as a key ("2025-05-14") and as a heading. */
export function dayOf(iso: string, zone: string): { key: string; label: string } {
  const local = new TZDate(Date.parse(iso), zone);
  return { key: format(local, 'yyyy-MM-dd'), label: format(local, 'EEEE d MMMM yyyy') };
}

/** Whether row `index` starts a new day: the first row does, and so does any row after midnight. */
export function startsDay(isoAt: (i: number) => string, index: number, zone: string): boolean {
  if (index === 0) return true;
  return dayOf(isoAt(index - 1), zone).key !== dayOf(isoAt(index), zone).key;
}

/**
 * A runbook step row by its words: the stored line names the step by its key (a slug such as
 * "identify-the-release-the-deploy-log"), which means nothing to a reader. The attached
 * runbooks carry each step's text (Markdown). Null when the line is not a step row or the
 * step is not in any attached runbook (the row then keeps its stored line).
 */
export function runbookStepOf(line: string, runbooks: readonly AttachedRunbook[]): { done: boolean; text: string; runbook: string } | null {
  const m = /^Runbook step (\S+) (done|reopened)$/.exec(line);
  if (!m) return null;
  for (const rb of runbooks) {
    const step = rb.steps.find((s) => s.key === m[1]);
    if (step) return { done: m[2] === 'done', text: step.text, runbook: rb.name };
  }
  return null;
}
