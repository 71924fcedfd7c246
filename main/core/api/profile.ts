import type { z } from 'zod';
import type { ResultOf } from '../../../shared/api/contract.js';
import type { PROFILE_METHODS } from '../../../shared/api/profile-methods.js';
import type { Core } from '../open.js';

type ProfileMethod = keyof typeof PROFILE_METHODS;
type ProfileHandlers = { [M in ProfileMethod]: (core: Core, params: z.output<(typeof PROFILE_METHODS)[M]>) => ResultOf<M> };

/** Spread into the core's handler map (main/core/api/handlers.ts). */
export const PROFILE_HANDLERS: ProfileHandlers = {
  'profile.status': (core) => ({ chosen: core.profile.chosen() }),
};
