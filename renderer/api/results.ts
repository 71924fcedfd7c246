import type { Method } from '../../shared/api/contract.js';
import type { Profile } from '../../shared/domain/profile.js';
import type { IncidentState, TimelineItem } from '../../shared/domain/fold.js';

/*
 * What each method answers, as far as the renderer relies on it. The contract types params
 * only; these are the fold's own types (shared/domain/fold.ts), so nothing is re-declared.
 */

/** A row of incidents.list: the folded state, of which the list reads only these fields. */
export type IncidentSummary = Pick<
  IncidentState,
  'id' | 'ref' | 'title' | 'severity' | 'status' | 'declaredAt' | 'roles' | 'nextUpdateDueAt'
>;

/** A window of the timeline, oldest first, and whether rows exist beyond either end. */
export interface TimelineWindow {
  items: TimelineItem[];
  hasBefore: boolean;
  hasAfter: boolean;
}

/** sync.status: `connected` means the hub link is up; `pending` counts outbox rows not yet acknowledged. */
export interface SyncStatus {
  configured: boolean;
  connected: boolean;
  syncing: boolean;
  pending: number;
  hub?: string | null;
  lastSyncAt?: string | null;
  error?: string | null;
}

export interface ResultMap {
  'profile.get': Profile;
  'profile.set': Profile;
  'incidents.list': IncidentSummary[];
  'incidents.declare': Pick<IncidentState, 'id' | 'ref'>;
  'incidents.get': IncidentState;
  'timeline.window': TimelineWindow;
  'events.append': { id: string; hlc: string };
  'sync.status': SyncStatus;
}

export type ResultOf<M extends Method> = M extends keyof ResultMap ? ResultMap[M] : unknown;
