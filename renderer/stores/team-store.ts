import { create } from 'zustand';
import type { TeamProfile } from '../../shared/api/results.js';
import { rpc } from '../api/client.js';

/**
 * The team's people as the hub last told this cockpit (profiles.list): each one's zone and
 * working hours, our own first. A 'profiles-changed' notification makes this refetch.
 */
interface TeamState {
  profiles: TeamProfile[];
  load(): Promise<void>;
}

export const useTeamStore = create<TeamState>()((set) => ({
  profiles: [],
  async load() {
    try {
      set({ profiles: await rpc().call('profiles.list', {}) });
    } catch {
      // Keep what is shown; the next notification or reconnect asks again.
    }
  },
}));

/** A person's profile by the name on a role (names are case-insensitive, as the hub's are). */
export function profileNamed(profiles: readonly TeamProfile[], name: string): TeamProfile | undefined {
  const key = name.trim().toLowerCase();
  return profiles.find((p) => p.name.toLowerCase() === key);
}
