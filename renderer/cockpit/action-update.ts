import type { ActionItem } from '../../shared/domain/fold.js';
import { LIMITS } from '../../shared/domain/limits.js';
import { fromZonedInput } from '../time/zoned-input.js';

/*
 * The re-assign / re-date dialog's draft as an `action.updated` payload: only what changed,
 * so a teammate's concurrent change of the other field stands. Pure (action-update.test.ts).
 */

export interface ActionDraft {
  /** Who owns it; empty for nobody. */
  owner: string;
  /** A datetime-local value in `zone`; ignored when `noDue`. */
  due: string;
  noDue: boolean;
}

export type ActionChange = { owner?: string | null; due?: string | null };

export function actionChange(action: Pick<ActionItem, 'owner' | 'due'>, draft: ActionDraft, zone: string): { payload: ActionChange | null; problem: string | null } {
  const owner = draft.owner.trim() || null;
  if (owner !== null && owner.length > LIMITS.nameChars) return { payload: null, problem: `A name is at most ${LIMITS.nameChars} characters.` };
  let due: string | null = null;
  if (!draft.noDue) {
    due = fromZonedInput(draft.due, zone);
    if (due === null) return { payload: null, problem: 'Type a date and a time for when it is due, or tick "No due time".' };
  }
  const payload: ActionChange = {};
  if (owner !== action.owner) payload.owner = owner;
  const sameDue = due === null || action.due === null ? due === action.due : Date.parse(due) === Date.parse(action.due);
  if (!sameDue) payload.due = due;
  return { payload: Object.keys(payload).length ? payload : null, problem: null };
}
