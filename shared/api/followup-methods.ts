import { z } from 'zod';
import type { ActionItem, IncidentState, TimelineItem } from '../domain/fold.js';
import type { Retrospective } from '../domain/retro.js';
import type { Severity } from '../domain/severity.js';
import type { Status } from '../domain/status.js';
import { LIMITS } from '../domain/limits.js';

/*
 * Follow-up and retrospectives: the methods spread into METHODS (contract.ts) and their results
 * into Results (results.ts). Writes are events (`action.updated`, `retro.edited`, `retro.state`)
 * through `events.append`; these are the reads that need the core, and the export.
 */

const Ref = z.string().min(1).max(64);
export const EXPORT_FORMATS = ['md', 'html', 'pdf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const FOLLOWUP_METHODS = {
  /**
   * Action items across every incident, open ones only unless `all` (done and cancelled too).
   * `mine`: owned by this cockpit's profile; `owner`: by that person; `overdue`: open and past
   * due. Oldest due first, undated last. Capped at `limit` (default 500).
   */
  'actions.list': z
    .object({
      mine: z.boolean().optional(),
      owner: z.string().trim().min(1).max(LIMITS.nameChars).optional(),
      overdue: z.boolean().optional(),
      all: z.boolean().optional(),
      limit: z.number().int().min(1).max(5000).optional(),
    })
    .strict(),
  /** The retrospective of one incident, with what it draws on: the incident and its pinned entries. */
  'retro.get': z.object({ ref: Ref }).strict(),
  /**
   * The retrospective as a file: Markdown, self-contained HTML, or PDF printed from that HTML by
   * Chromium. `timeZone` is the reader's (the profile's when absent). PDF needs a Chromium on this
   * machine and comes back base64-encoded.
   */
  'retro.export': z.object({ ref: Ref, format: z.enum(EXPORT_FORMATS), timeZone: z.string().min(1).max(64).optional() }).strict(),
} as const;

/** One action item with the incident it belongs to: a row of the follow-up list. */
export interface FollowUpAction {
  incidentId: string;
  ref: string;
  title: string;
  severity: Severity;
  status: Status;
  action: ActionItem;
}

/** A retrospective with the incident it is about and the pinned entries it calls key moments. */
export interface RetroDocument {
  incident: IncidentState;
  retro: Retrospective;
  keyMoments: TimelineItem[];
}

export interface RetroExport {
  format: ExportFormat;
  /** A file name to suggest: "INC-7KQ2XM-retrospective.pdf". */
  fileName: string;
  mime: string;
  encoding: 'utf8' | 'base64';
  content: string;
}

export interface FollowUpResults {
  'actions.list': FollowUpAction[];
  'retro.get': RetroDocument;
  'retro.export': RetroExport;
}
