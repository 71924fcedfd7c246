import { z } from 'zod';
import { RUNBOOK_LIMITS, RunbookNameSchema } from './document.js';

/*
 * Runbook sharing through the hub, beside the event protocol (shared/sync/protocol.ts) and
 * built the same way: the hub keeps every published version in its own table with a dense
 * per-team sequence, and clients pull from a cursor. A broadcast only says "there is more";
 * the cursor pull is what makes a cache complete, however long it was offline.
 *
 * Client → hub (with ack): 'runbook.publish', 'runbook.pull'.  Hub → team room: 'runbook.published'.
 *
 * The team's break-glass pack is the runbook BREAKGLASS_PACK_NAME (shared/runbooks/breakglass.ts)
 * whose text is the pack's YAML: the hub refuses a publish under that name that is not a valid
 * pack, and cockpits store a pulled one as their pack, never as a runbook.
 */

export const RUNBOOK_HUB_EVENTS = {
  publish: 'runbook.publish',
  pull: 'runbook.pull',
  published: 'runbook.published',
} as const;

/**
 * A pull page holds at most this many bytes of runbook text (and at least one runbook), so a
 * page stays well under the hub's 8 MiB socket.io message limit even with 1 MiB runbooks.
 */
export const RUNBOOK_PULL_PAGE_BYTES = 4 * 1024 * 1024;
export const RUNBOOK_PULL_PAGE_MAX = 200;

/**
 * 'runbook.publish': a new version of a team runbook. `baseSeq` is the hub seq of the version
 * the author edited (null for a runbook the team does not have yet). The hub refuses with
 * 'conflict' if someone published the same name since, so an edit never silently overwrites a
 * teammate's; publishing text identical to the team's newest version is answered with that
 * version (idempotent: a retried publish whose ack was lost does nothing twice).
 */
export const PublishRunbookRequestSchema = z.object({
  name: RunbookNameSchema,
  content: z.string().max(RUNBOOK_LIMITS.bytes, 'a runbook is at most 1 MiB'),
  baseSeq: z.number().int().positive().nullable(),
});
export type PublishRunbookRequest = z.infer<typeof PublishRunbookRequestSchema>;

export const PublishRunbookAckSchema = z.object({ seq: z.number().int().positive(), version: z.number().int().positive(), head: z.number().int().nonnegative() });
export type PublishRunbookAck = z.infer<typeof PublishRunbookAckSchema>;

/** 'runbook.pull': the team's published versions with seq > after, in seq order. */
export const RunbookPullRequestSchema = z.object({
  after: z.number().int().min(0),
  limit: z.number().int().min(1).max(RUNBOOK_PULL_PAGE_MAX).default(RUNBOOK_PULL_PAGE_MAX),
});

export const PublishedRunbookSchema = z.object({
  seq: z.number().int().positive(),
  name: RunbookNameSchema,
  /** The team's version number of this runbook on the hub (1, 2, 3 per name). */
  version: z.number().int().positive(),
  content: z.string().max(RUNBOOK_LIMITS.bytes),
  hash: z.string().length(64),
  author: z.string().max(200),
  publishedAt: z.string(),
});
export type PublishedRunbook = z.infer<typeof PublishedRunbookSchema>;

export const RunbookPullResponseSchema = z.object({
  runbooks: z.array(PublishedRunbookSchema),
  more: z.boolean(),
  head: z.number().int().nonnegative(),
});
export type RunbookPullResponse = z.infer<typeof RunbookPullResponseSchema>;

/** 'runbook.published': sent to the team room after a commit; clients pull from their cursor. */
export const RunbookPublishedBroadcastSchema = z.object({ seq: z.number().int().positive(), name: RunbookNameSchema });
