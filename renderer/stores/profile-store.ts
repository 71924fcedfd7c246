import { create } from 'zustand';
import type { Profile, ProfileUpdate } from '../../shared/domain/profile.js';
import { rpc } from '../api/client.js';

/** The viewer's profile: whose name goes on entries and which zone times are shown in. */
interface ProfileState {
  profile: Profile | null;
  /** Whether a person chose the profile (profile.status); null until the core has said. */
  chosen: boolean | null;
  load(): Promise<void>;
  update(patch: ProfileUpdate): Promise<void>;
}

export const useProfileStore = create<ProfileState>()((set) => ({
  profile: null,
  chosen: null,
  async load() {
    const profile = await rpc().call('profile.get', {});
    const { chosen } = await rpc().call('profile.status', {});
    set({ profile, chosen });
  },
  async update(patch) {
    set({ profile: await rpc().call('profile.set', patch), chosen: true });
  },
}));

/** The zone to show times in: the profile's, or this machine's until the profile has loaded. */
export function viewerZone(profile: Profile | null): string {
  return profile?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
}
