import { create } from 'zustand';
import type { BreakGlassPack } from '../../shared/runbooks/breakglass.js';
import { rpc } from '../api/client.js';

interface BreakGlassState {
  /** undefined until the first answer; null when this cockpit has no pack. */
  pack: BreakGlassPack | null | undefined;
  error: string | null;
  load(): Promise<void>;
  /** Replaces the pack with a YAML or JSON text; a refusal is shown and nothing changes. */
  importText(text: string): Promise<boolean>;
}

/** The break-glass pack as the core has it; reloaded when a pull stores a teammate's version. */
export const useBreakGlassStore = create<BreakGlassState>()((set) => ({
  pack: undefined,
  error: null,
  async load() {
    try {
      const r = await rpc().call('breakglass.get', {});
      set({ pack: r?.pack ?? null, error: null });
    } catch (e) {
      set({ error: (e as Error).message });
    }
  },
  async importText(text) {
    try {
      const r = await rpc().call('breakglass.import', { text });
      set({ pack: r.pack, error: null });
      return true;
    } catch (e) {
      set({ error: `Not imported: ${(e as Error).message}` });
      return false;
    }
  },
}));
