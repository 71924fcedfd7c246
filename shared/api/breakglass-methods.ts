import { z } from 'zod';
import { BREAKGLASS_MAX_BYTES } from '../runbooks/breakglass.js';

/**
 * Importing the break-glass pack through the API (spread into METHODS in shared/api/contract.ts),
 * so the app's Import button and `conn breakglass import FILE` run the same validation: the
 * whole YAML or JSON text, parsed and checked before anything is replaced.
 */
export const BREAKGLASS_METHODS = {
  'breakglass.import': z
    .object({ text: z.string().max(BREAKGLASS_MAX_BYTES, `a break-glass pack is at most ${BREAKGLASS_MAX_BYTES / 1024} KiB`) })
    .strict(),
} as const;
