import { z } from 'zod';
import { IdSchema } from '../domain/ids.js';
import { LIMITS } from '../domain/limits.js';
import { MAX_QUERY_CHARS } from './query.js';

const Query = z.string().max(MAX_QUERY_CHARS, `a search is at most ${MAX_QUERY_CHARS} characters`);

/**
 * The search methods of the API contract (spread into METHODS in shared/api/contract.ts). The
 * query is what a person typed: the core quotes every term (shared/search/query.ts), so no input
 * is FTS5 syntax. Search runs in the core over the SQLite FTS5 index (migration 006).
 */
export const SEARCH_METHODS = {
  /**
   * Incidents whose title, summary, services, retrospective or timeline entries match, best first
   * (bm25). `service` keeps those with that service; `since` those declared at or after it.
   * `asYouType` makes the last word a prefix and, for a broad query, ranks only its newest
   * matches so a keystroke stays within a frame; `rankEveryMatch` (sent once typing pauses)
   * ranks all of them again.
   */
  'search.incidents': z
    .object({
      query: Query,
      service: z.string().trim().min(1).max(LIMITS.serviceChars).optional(),
      since: z.string().max(64).refine((s) => Number.isFinite(Date.parse(s)), 'since is an ISO 8601 time').optional(),
      limit: z.number().int().min(1).max(100).optional(),
      asYouType: z.boolean().optional(),
      rankEveryMatch: z.boolean().optional(),
    })
    .strict(),
  /** One incident's entries whose words match, newest first, each with its timeline cursor. */
  'timeline.search': z
    .object({ incidentId: IdSchema, query: Query, limit: z.number().int().min(1).max(200).optional(), asYouType: z.boolean().optional() })
    .strict(),
  /** Resolved and closed incidents like this one: shared services and words, with their lessons. */
  'incidents.similar': z.object({ incidentId: IdSchema, limit: z.number().int().min(1).max(20).optional() }).strict(),
} as const;
