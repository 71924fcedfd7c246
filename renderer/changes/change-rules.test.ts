import { describe, expect, it } from 'vitest';
import type { Severity } from '../../shared/domain/severity.js';
import type { Status } from '../../shared/domain/status.js';
import { confirmCopy, describeChange, eventOf, needsConfirmation, reverseOf, type FieldChange } from './change-rules.js';

const base = { incidentId: '0190a5c4-0000-7000-8000-000000000001', ref: 'INC-7KQ2XM' };
const status = (from: Status, to: Status): FieldChange => ({ ...base, field: 'status', from, to });
const sev = (from: Severity, to: Severity): FieldChange => ({ ...base, field: 'severity', from, to });

describe('needsConfirmation', () => {
  it.each([
    { change: status('identified', 'resolved'), confirm: true, why: 'resolving' },
    { change: status('triage', 'resolved'), confirm: true, why: 'resolving straight from triage' },
    { change: status('monitoring', 'closed'), confirm: true, why: 'closing' },
    { change: status('resolved', 'closed'), confirm: true, why: 'closing a resolved incident' },
    { change: status('triage', 'investigating'), confirm: false, why: 'moving forward while active' },
    { change: status('identified', 'monitoring'), confirm: false, why: 'mitigating (undo covers it)' },
    { change: status('resolved', 'investigating'), confirm: false, why: 'reopening' },
    { change: status('resolved', 'resolved'), confirm: false, why: 'no change at all' },
    { change: sev(1, 2), confirm: true, why: 'SEV1 → SEV2 lowers severity' },
    { change: sev(2, 5), confirm: true, why: 'SEV2 → SEV5 lowers severity' },
    { change: sev(3, 1), confirm: false, why: 'raising severity' },
    { change: sev(2, 2), confirm: false, why: 'no change at all' },
  ])('$why: $confirm', ({ change, confirm }) => {
    expect(needsConfirmation(change)).toBe(confirm);
  });
});

describe('undo', () => {
  it('is the reverse change, through the same kind of event', () => {
    const c = status('monitoring', 'resolved');
    expect(reverseOf(c)).toEqual(status('resolved', 'monitoring'));
    expect(eventOf(reverseOf(c))).toEqual({ kind: 'status.changed', payload: { status: 'monitoring' } });
    expect(eventOf(reverseOf(sev(1, 3)))).toEqual({ kind: 'severity.changed', payload: { severity: 1 } });
    expect(reverseOf(reverseOf(c))).toEqual(c);
  });

  it('is described in the words people read', () => {
    expect(describeChange(status('identified', 'resolved'))).toBe('INC-7KQ2XM status: identified → resolved');
    expect(describeChange(sev(1, 2))).toBe('INC-7KQ2XM severity: SEV1 → SEV2');
  });
});

describe('confirmCopy', () => {
  it('names the act on the button and says what follows', () => {
    expect(confirmCopy(status('identified', 'resolved'))).toEqual({
      title: 'Resolve INC-7KQ2XM?',
      body: 'Status goes from identified to resolved: customer impact is over. The incident leaves the active list and stakeholder updates stop.',
      confirmLabel: 'Resolve incident',
    });
    expect(confirmCopy(status('resolved', 'closed')).body).not.toContain('active list');
    expect(confirmCopy(status('monitoring', 'closed')).confirmLabel).toBe('Close incident');
    expect(confirmCopy(sev(1, 2))).toEqual({
      title: 'Lower INC-7KQ2XM to SEV2?',
      body: 'Severity goes from SEV1 to SEV2. Stakeholder updates will be due every 30 min instead of every 20 min.',
      confirmLabel: 'Lower to SEV2',
    });
    expect(confirmCopy(sev(4, 5)).body).toBe('Severity goes from SEV4 to SEV5. Stakeholder updates will no longer be due (now every 240 min).');
  });
});
