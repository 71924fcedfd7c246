import { z } from 'zod';
import type { ConnEvent } from '../domain/events.js';
import type { PlannedCall } from '../domain/fold.js';
import { IdSchema } from '../domain/ids.js';

/*
 * The call methods of the API contract that read rather than write (spread into METHODS in
 * contract.ts; their results into Results in results.ts). Starting, joining, leaving and
 * planning a call are events.append; ending one is calls.end (it also drafts the minutes).
 */

/** An IANA zone name as a reader gives it; the core checks it is one before using it. */
const Zone = z.string().min(1).max(64);

export const CALL_METHODS = {
  /**
   * The minutes that stand for a call (or for the latest call with minutes), to read: in the
   * reader's zone (`timeZone`, else the profile's) when they are still the minutes Conn wrote,
   * as written (in their writer's zone) once a person edited them.
   */
  'minutes.read': z.object({ incidentId: IdSchema, callId: IdSchema.optional(), timeZone: Zone.optional() }).strict(),
  /**
   * Calls planned on active incidents from `sinceMin` minutes ago to `withinMin` minutes ahead,
   * soonest first, each saying whether the local profile is on it: what a cockpit notifies.
   */
  'calls.upcoming': z
    .object({ sinceMin: z.number().int().min(0).max(24 * 60).default(10), withinMin: z.number().int().min(1).max(14 * 24 * 60).default(24 * 60) })
    .strict(),
} as const;

export interface MinutesReading {
  /** The minutes.written event that stands (the latest of its call by (hlc, id)). */
  event: ConnEvent;
  callId: string | null;
  status: 'draft' | 'published';
  author: string;
  /** When they were written (UTC). */
  at: string;
  /** Markdown, to render sanitised. */
  text: string;
  /** The zone the times in `text` are in, when known. */
  timeZone: string | null;
  /** True when `text` was written again in the reader's zone from the timeline. */
  localised: boolean;
}

export interface UpcomingCall {
  incidentId: string;
  ref: string;
  incidentTitle: string;
  call: PlannedCall;
  /** The local profile is among its attendees. */
  you: boolean;
}

export interface CallResults {
  'minutes.read': MinutesReading | null;
  'calls.upcoming': UpcomingCall[];
}
