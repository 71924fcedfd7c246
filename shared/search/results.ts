import type { EventKind } from '../domain/events.js';
import type { Severity } from '../domain/severity.js';
import type { Status } from '../domain/status.js';
import type { SnippetSegment } from '../runbooks/results.js';
import type { IncidentLessons } from './incident-text.js';

/*
 * What the search methods answer (shared/search/methods.ts). Snippets are plain-text segments
 * (`hit` marks a matched word), as runbook search gives them, so no caller renders stored text
 * as HTML to show a highlight.
 */

/** One timeline entry that matched: its cursor (hlc, id) is what timeline.window pages from. */
export interface TimelineSearchHit {
  id: string;
  hlc: string;
  kind: EventKind;
  /** ISO 8601, UTC. */
  at: string;
  author: string;
  snippet: SnippetSegment[];
}

/**
 * `timeline.search`: the latest hits this cockpit indexed (newest first, but for entries synced
 * in late), sorted by time, and how many entries matched in all.
 */
export interface TimelineSearchResult {
  hits: TimelineSearchHit[];
  total: number;
}

/** One incident that matched `search.incidents`, ranked by its best document's bm25. */
export interface IncidentSearchHit {
  incidentId: string;
  ref: string;
  title: string;
  status: Status;
  severity: Severity;
  services: string[];
  declaredAt: string | null;
  /** bm25 of its best match: lower is better. */
  rank: number;
  /** Where the best match is: the incident itself (title, summary, services, retrospective) or an entry. */
  match: { kind: 'incident' } | { kind: 'entry'; entryId: string; hlc: string; entryKind: EventKind };
  snippet: SnippetSegment[];
  /** How many of its documents are among the best the search ranked (at least 1). */
  matches: number;
}

/** `incidents.similar`: a resolved or closed incident like this one, and what it taught. */
export interface SimilarIncident {
  incidentId: string;
  ref: string;
  title: string;
  status: Status;
  severity: Severity;
  declaredAt: string | null;
  /** Services it shares with this incident. */
  sharedServices: string[];
  /** Words of this incident's title and summary it also has. */
  sharedWords: string[];
  lessons: IncidentLessons;
}
