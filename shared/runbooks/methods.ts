import { z } from 'zod';
import { IdSchema } from '../domain/ids.js';
import { MAX_QUERY_CHARS } from './search-query.js';

const Name = z.string().min(1).max(200);
/** Days since last_verified after which a runbook reads as stale; the library's setting when absent. */
const StaleDays = z.number().int().min(1).optional();

/**
 * The runbook methods of the API contract (spread into METHODS in shared/api/contract.ts).
 * Search runs in the core, never in the renderer: the window stays responsive however large
 * the library is.
 */
export const RUNBOOK_METHODS = {
  /** Ranked hits with highlighted snippet segments; plain input is made safe unless `raw`. */
  'runbooks.search': z
    .object({ query: z.string().max(MAX_QUERY_CHARS), limit: z.number().int().min(1).max(200).optional(), raw: z.boolean().optional(), staleDays: StaleDays })
    .strict(),
  'runbooks.list': z.object({ stale: z.boolean().optional(), staleDays: StaleDays }).strict(),
  /** One version in full (the newest by default), with its steps and version history. */
  'runbooks.get': z.object({ name: Name, version: z.number().int().min(1).optional(), staleDays: StaleDays }).strict(),
  'runbooks.suggest': z.object({ incidentId: IdSchema }).strict(),
  /** Appends `runbook.attached` with the version's checklist; checking a step is `events.append`. */
  'runbooks.attach': z.object({ incidentId: IdSchema, name: Name, version: z.number().int().min(1).optional() }).strict(),
  'breakglass.get': z.object({}).strict(),
} as const;
