import type { z } from 'zod';
import type { ResultOf } from '../../../shared/api/contract.js';
import type { BREAKGLASS_METHODS } from '../../../shared/api/breakglass-methods.js';
import type { Core } from '../open.js';
import { BreakGlassStore, parseBreakGlass } from '../runbooks/breakglass-store.js';
import { authorName } from '../runbooks/service.js';

type BreakGlassMethod = keyof typeof BREAKGLASS_METHODS;
type BreakGlassHandlers = { [M in BreakGlassMethod]: (core: Core, params: z.output<(typeof BREAKGLASS_METHODS)[M]>) => ResultOf<M> };

/** Spread into the core's handler map (main/core/api/handlers.ts). */
export const BREAKGLASS_HANDLERS: BreakGlassHandlers = {
  'breakglass.import': (core, p) => {
    // Parsed whole first: an invalid pack throws here and the stored one stays as it was.
    const pack = parseBreakGlass(p.text);
    const store = new BreakGlassStore(core.db);
    store.set(pack, authorName(core));
    core.bus.emit({ type: 'runbooks-changed' });
    return store.get()!;
  },
};
