import type { z } from 'zod';
import type { ResultOf } from '../../../shared/api/contract.js';
import type { SEARCH_METHODS } from '../../../shared/search/methods.js';
import type { Core } from '../open.js';

type SearchMethod = keyof typeof SEARCH_METHODS;
type SearchHandlers = { [M in SearchMethod]: (core: Core, params: z.output<(typeof SEARCH_METHODS)[M]>) => ResultOf<M> };

/** The search methods' handlers, spread into the core's handler map (handlers.ts). */
export const SEARCH_HANDLERS: SearchHandlers = {
  'search.incidents': (core, p) =>
    core.search.incidents(p.query, { service: p.service, since: p.since, limit: p.limit, asYouType: p.asYouType, rankEveryMatch: p.rankEveryMatch }),
  // Resolving the id first makes an unknown incident a clear not-found, not an empty result.
  'timeline.search': (core, p) => core.search.timeline(core.incidents.resolve(p.incidentId), p.query, { limit: p.limit, asYouType: p.asYouType }),
  'incidents.similar': (core, p) => core.search.similar(core.incidents.get(p.incidentId), p.limit),
};
