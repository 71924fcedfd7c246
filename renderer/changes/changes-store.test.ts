import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Severity } from '../../shared/domain/severity.js';
import type { Status } from '../../shared/domain/status.js';
import type { FieldChange } from './change-rules.js';

/*
 * Confirmation and undo against a core that records what is appended and answers
 * incidents.get with the status and severity those appends produced.
 */

const INCIDENT = '0190a5c4-0000-7000-8000-000000000001';
const appended: Array<{ incidentId: string; kind: string; payload: unknown }> = [];
const core = { status: 'identified', severity: 1 };
vi.mock('../api/client.js', () => ({
  rpc: () => ({
    call: async (method: string, params: { incidentId: string; kind: string; payload: { status?: string; severity?: number } }) => {
      if (method === 'incidents.get') return { ...core };
      if (method !== 'events.append') throw new Error(`unexpected ${method}`);
      appended.push(params);
      if (params.payload.status) core.status = params.payload.status;
      if (params.payload.severity) core.severity = params.payload.severity;
      return {};
    },
  }),
}));

const { useChangeStore } = await import('./change-store.js');
const { useUndoStore } = await import('./undo-store.js');
const { useCockpitStore } = await import('../stores/cockpit-store.js');

const base = { incidentId: INCIDENT, ref: 'INC-7KQ2XM' };
const toStatus = (to: Status): FieldChange => ({ ...base, field: 'status', from: core.status as Status, to });
const toSev = (to: Severity): FieldChange => ({ ...base, field: 'severity', from: core.severity as Severity, to });

beforeEach(() => {
  appended.length = 0;
  Object.assign(core, { status: 'identified', severity: 1 });
  useChangeStore.setState({ pending: null });
  useUndoStore.setState({ offer: null, notice: null });
  useCockpitStore.setState({ incidentId: INCIDENT, error: null });
});

describe('asking for a change', () => {
  it('makes a safe change at once and offers to undo it', async () => {
    await useChangeStore.getState().request(toStatus('monitoring'));
    expect(appended).toEqual([{ incidentId: INCIDENT, kind: 'status.changed', payload: { status: 'monitoring' } }]);
    expect(useUndoStore.getState().offer?.change.to).toBe('monitoring');
  });

  it('holds resolving until confirmed, and Cancel changes nothing', async () => {
    await useChangeStore.getState().request(toStatus('resolved'));
    expect(useChangeStore.getState().pending?.to).toBe('resolved');
    expect(appended).toEqual([]);
    useChangeStore.getState().cancel();
    expect(useChangeStore.getState().pending).toBeNull();
    expect(appended).toEqual([]);
    expect(useUndoStore.getState().offer).toBeNull();
  });

  it('resolves once confirmed, then offers undo', async () => {
    await useChangeStore.getState().request(toStatus('resolved'));
    await useChangeStore.getState().confirm();
    expect(appended.map((a) => a.payload)).toEqual([{ status: 'resolved' }]);
    expect(useChangeStore.getState().pending).toBeNull();
    expect(useUndoStore.getState().offer?.change).toMatchObject({ from: 'identified', to: 'resolved' });
  });

  it('holds lowering severity too, but not raising it', async () => {
    await useChangeStore.getState().request(toSev(2));
    expect(useChangeStore.getState().pending?.to).toBe(2);
    useChangeStore.getState().cancel();
    core.severity = 3;
    await useChangeStore.getState().request(toSev(1));
    expect(appended.map((a) => a.payload)).toEqual([{ severity: 1 }]);
  });

  it('ignores a change to the current value', async () => {
    await useChangeStore.getState().request(toStatus('identified'));
    expect(appended).toEqual([]);
    expect(useUndoStore.getState().offer).toBeNull();
  });
});

describe('undo', () => {
  it('appends the previous value as a new event', async () => {
    await useChangeStore.getState().request(toStatus('resolved'));
    await useChangeStore.getState().confirm();
    await useUndoStore.getState().undo();
    expect(appended.map((a) => a.payload)).toEqual([{ status: 'resolved' }, { status: 'identified' }]);
    expect(useUndoStore.getState().offer).toBeNull();
    expect(useUndoStore.getState().notice).toBe('Undone: INC-7KQ2XM status: resolved → identified');
  });

  it('restores a lowered severity without asking again', async () => {
    await useChangeStore.getState().request(toSev(3));
    await useChangeStore.getState().confirm();
    await useUndoStore.getState().undo();
    expect(appended.map((a) => a.payload)).toEqual([{ severity: 3 }, { severity: 1 }]);
    expect(useChangeStore.getState().pending).toBeNull();
  });

  it('refuses to overwrite a change someone made since', async () => {
    await useChangeStore.getState().request(toStatus('monitoring'));
    core.status = 'investigating'; // a teammate's change arrived
    await useUndoStore.getState().undo();
    expect(appended).toHaveLength(1);
    expect(useUndoStore.getState().notice).toBe('Not undone: INC-7KQ2XM status has changed since (now investigating).');
  });

  it('offers only the latest change, and an expired offer cannot be undone', async () => {
    await useChangeStore.getState().request(toStatus('monitoring'));
    const first = useUndoStore.getState().offer!.seq;
    await useChangeStore.getState().request(toStatus('identified'));
    const second = useUndoStore.getState().offer!.seq;
    useUndoStore.getState().dismiss(first); // the first offer's timer firing late
    expect(useUndoStore.getState().offer?.seq).toBe(second);
    useUndoStore.getState().dismiss(second);
    await useUndoStore.getState().undo();
    expect(appended.map((a) => a.payload)).toEqual([{ status: 'monitoring' }, { status: 'identified' }]);
  });
});
