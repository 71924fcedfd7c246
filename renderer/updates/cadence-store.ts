import { create } from 'zustand';
import type { EffectiveCadence } from '../../shared/api/cadence-methods.js';
import { DEFAULT_CADENCE, type Cadence } from '../../shared/domain/cadence.js';
import { rpc } from '../api/client.js';

/*
 * The team's stakeholder-update cadence as the core has it (cadence.get): the values and where
 * they come from. A 'cadence-changed' notification makes this refetch. Until the core answers,
 * the defaults stand in, as they do on a cockpit that never heard from a hub.
 */

interface CadenceState {
  effective: EffectiveCadence | null;
  load(): Promise<void>;
}

export const useCadenceStore = create<CadenceState>()((set) => ({
  effective: null,
  async load() {
    try {
      set({ effective: await rpc().call('cadence.get', {}) });
    } catch {
      // Keep what is shown; the next notification or reconnect asks again.
    }
  },
}));

/** The cadence the confirm sentences and the summary use now. */
export function currentCadence(s: CadenceState): Cadence {
  return s.effective?.cadence ?? DEFAULT_CADENCE;
}
