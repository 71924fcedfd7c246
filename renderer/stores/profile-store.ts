import { create } from 'zustand';
import type { Profile, ProfileUpdate } from '../../shared/domain/profile.js';
import { rpc } from '../api/client.js';

/** The viewer's profile: whose name goes on entries and which zone times are shown in. */
interface ProfileState {
  profile: Profile | null;
  load(): Promise<void>;
  update(patch: ProfileUpdate): Promise<void>;
}

export const useProfileStore = create<ProfileState>()((set) => ({
  profile: null,
  async load() {
    set({ profile: await rpc().call('profile.get', {}) });
  },
  async update(patch) {
    set({ profile: await rpc().call('profile.set', patch) });
  },
}));

/** The zone to show times in: the profile's, or this machine's until the profile has loaded. */
export function viewerZone(profile: Profile | null): string {
  return profile?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
}
