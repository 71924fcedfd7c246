import { targetOf, type ConnEvent, type EventKind } from '../../../shared/domain/events.js';
import type { TimelineItem } from '../../../shared/domain/fold.js';

/** An `events` row as SQLite returns it. */
export interface EventRow {
  id: string;
  incident_id: string;
  hlc: string;
  kind: string;
  author_id: string;
  author_name: string;
  payload: string;
  supersedes: string | null;
}

export function eventFromRow(r: EventRow): ConnEvent {
  const e = {
    id: r.id,
    incidentId: r.incident_id,
    hlc: r.hlc,
    author: { id: r.author_id, name: r.author_name },
    kind: r.kind,
    payload: JSON.parse(r.payload) as unknown,
  } as ConnEvent;
  if (r.supersedes !== null) e.supersedes = JSON.parse(r.supersedes) as string[];
  return e;
}

/**
 * Values for the INSERT into `events`, in column order. `timelineText` is the text of the row
 * the event shows as on the timeline, or null for kinds folded into their target.
 */
export function eventToParams(e: ConnEvent, local: boolean, receivedAt: number, timelineText: string | null): unknown[] {
  return [
    e.id,
    e.incidentId,
    e.hlc,
    e.kind,
    e.author.id,
    e.author.name,
    timelineText === null ? 0 : 1,
    timelineText ?? '',
    JSON.stringify(e.payload),
    e.supersedes === undefined ? null : JSON.stringify(e.supersedes),
    targetOf(e) ?? null,
    local ? 1 : 0,
    receivedAt,
  ];
}

export const INSERT_EVENT_SQL = `INSERT OR IGNORE INTO events
  (id, incident_id, hlc, kind, author_id, author_name, shown, text, payload, supersedes, target_id, local, received_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** A `timeline_items` row as SQLite returns it. */
export interface TimelineRow {
  event_id: string;
  incident_id: string;
  hlc: string;
  kind: string;
  author_id: string;
  author_name: string;
  text: string;
  pinned: number;
  edited: number;
  redacted: number;
  redacted_reason: string | null;
  edited_by?: string | null;
  refused?: string | null;
}

/** The timeline_items view's columns. */
export const TIMELINE_COLUMNS = 'event_id, incident_id, hlc, kind, author_id, author_name, text, pinned, edited, redacted, redacted_reason, edited_by, refused';
/** The same, read straight from `events` (what the view selects), for queries that need its indexes. */
export const TIMELINE_EVENT_COLUMNS = `id AS event_id, incident_id, hlc, kind, author_id, author_name, text, pinned, edited, redacted, redacted_reason,
  CASE WHEN edited = 1 THEN (SELECT ed.author_name FROM events ed WHERE ed.id = events.text_id) END AS edited_by,
  (SELECT json_object('code', r.code, 'message', r.message) FROM refused_events r WHERE r.event_id = events.id) AS refused`;

export function timelineItemFromRow(r: TimelineRow): TimelineItem {
  return {
    id: r.event_id,
    incidentId: r.incident_id,
    kind: r.kind as EventKind,
    hlc: r.hlc,
    // The wall-clock part of the stamp (its first 13 digits); windows map 100s of rows per scroll.
    at: new Date(Number(r.hlc.slice(0, 13))).toISOString(),
    author: { id: r.author_id, name: r.author_name },
    text: r.text,
    pinned: r.pinned === 1,
    edited: r.edited === 1,
    editedBy: r.edited_by ?? null,
    redacted: r.redacted === 1,
    redactedReason: r.redacted_reason,
    refused: r.refused ? (JSON.parse(r.refused) as { code: string; message: string }) : null,
  };
}
