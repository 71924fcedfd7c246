import type { EventKind } from '../../shared/domain/events.js';
import type { Severity } from '../../shared/domain/severity.js';
import { cadenceStep, DEFAULT_CADENCE, type Cadence } from '../../shared/domain/cadence.js';
import { isActiveStatus, type Status } from '../../shared/domain/status.js';

/*
 * Which status and severity changes need a second look, what the confirm dialog says about
 * them, and how one is undone. Pure, so the rules are unit-tested (change-rules.test.ts); the
 * stores and dialogs in this folder only apply them.
 */

interface ChangeBase {
  incidentId: string;
  /** "INC-7KQ2XM", for the sentences people read. */
  ref: string;
}
export type FieldChange = ChangeBase & ({ field: 'status'; from: Status; to: Status } | { field: 'severity'; from: Severity; to: Severity });

export function isNoOp(c: FieldChange): boolean {
  return c.from === c.to;
}

/**
 * Resolving and closing end the response (the incident leaves the active list, stakeholder
 * updates stop) and lowering severity relaxes the update cadence: each asks first. Other
 * changes happen at once, with an undo.
 */
export function needsConfirmation(c: FieldChange): boolean {
  if (isNoOp(c)) return false;
  if (c.field === 'status') return c.to === 'resolved' || c.to === 'closed';
  return c.to > c.from; // SEV1 is the worst: a bigger number is a lower severity
}

/** The event that makes the change, for `events.append`. */
export function eventOf(c: FieldChange): { kind: EventKind; payload: { status: Status } | { severity: Severity } } {
  return c.field === 'status' ? { kind: 'status.changed', payload: { status: c.to } } : { kind: 'severity.changed', payload: { severity: c.to } };
}

/** The change that puts the previous value back: the timeline is append-only, so undo is a new event. */
export function reverseOf(c: FieldChange): FieldChange {
  return { ...c, from: c.to, to: c.from } as FieldChange;
}

function valueText(c: FieldChange, v: Status | Severity): string {
  return c.field === 'status' ? String(v) : `SEV${v}`;
}

/** "INC-7KQ2XM status: identified → resolved", as the undo toast says it. */
export function describeChange(c: FieldChange): string {
  return `${c.ref} ${c.field}: ${valueText(c, c.from)} → ${valueText(c, c.to)}`;
}

function cadenceSentence(from: Severity, to: Severity, cadence: Cadence): string {
  const [before, after] = [cadenceStep(cadence, from), cadenceStep(cadence, to)];
  if (!after) return before ? ` Stakeholder updates will no longer be due (now every ${before.everyMin} min).` : '';
  return ` Stakeholder updates will be due every ${after.everyMin} min${before ? ` instead of every ${before.everyMin} min` : ''}.`;
}

export interface ConfirmCopy {
  title: string;
  body: string;
  /** The destructive button's name; never the default focus. */
  confirmLabel: string;
}

/** What the confirm dialog says: the consequence in a sentence (under the team's cadence), and a button named for the act. */
export function confirmCopy(c: FieldChange, cadence: Cadence = DEFAULT_CADENCE): ConfirmCopy {
  if (c.field === 'severity') {
    return {
      title: `Lower ${c.ref} to SEV${c.to}?`,
      body: `Severity goes from SEV${c.from} to SEV${c.to}.${cadenceSentence(c.from, c.to, cadence)}`,
      confirmLabel: `Lower to SEV${c.to}`,
    };
  }
  const leaves = isActiveStatus(c.from) ? ' The incident leaves the active list and stakeholder updates stop.' : '';
  if (c.to === 'closed') {
    return {
      title: `Close ${c.ref}?`,
      body: `Status goes from ${c.from} to closed: follow-up is done and the retrospective is written.${leaves}`,
      confirmLabel: 'Close incident',
    };
  }
  return {
    title: `Resolve ${c.ref}?`,
    body: `Status goes from ${c.from} to resolved: customer impact is over.${leaves}`,
    confirmLabel: 'Resolve incident',
  };
}
