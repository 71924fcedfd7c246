import { z } from 'zod';

/**
 * The profile methods beyond get/set (spread into METHODS in shared/api/contract.ts).
 * `profile.status` tells whether the person has chosen their profile: until then the cockpit
 * writes under a default (the OS user name, the OS zone, 09:00-17:00) nobody confirmed, and the
 * app asks on first run.
 */
export const PROFILE_METHODS = {
  'profile.status': z.object({}).strict(),
} as const;

/**
 * `chosen`: someone has set the profile (the app's profile dialog or `conn profile --name …`).
 * A default written on first use is not a choice, so a fresh data dir reads false.
 */
export interface ProfileStatus {
  chosen: boolean;
}
