import type { Method } from '../../shared/api/contract.js';
import type { Profile } from '../../shared/domain/profile.js';
import type { IncidentState, TimelineItem } from '../../shared/domain/fold.js';
import type { IncidentSummary } from '../../shared/domain/incident-summary.js';

/*
 * What each method answers, as far as the renderer relies on it. The contract types params
 * only; these are the fold's own types (shared/domain/fold.ts), so nothing is re-declared.
 */

export type { IncidentSummary };

/** A list row with what the list shows beyond the summary, read from the folded state. */
export type IncidentListItem = IncidentSummary & Partial<Pick<IncidentState, 'roles' | 'declaredBy' | 'nextUpdateDueAt'>>;

/** A window of the timeline, oldest first, and whether rows exist beyond either end. */
export interface TimelineWindow {
  items: TimelineItem[];
  hasBefore: boolean;
  hasAfter: boolean;
}

/** sync.status, as main/core/open.ts reports it; the sync engine may add detail fields. */
export interface SyncStatus {
  state: 'disabled' | 'offline' | 'connecting' | 'online' | 'error';
  pending: number;
  hub?: string;
  /** True while pushing or catching up. */
  syncing?: boolean;
  error?: string;
  [extra: string]: unknown;
}

/** One person looking at an incident now; `you` is this cockpit's own member (maybe on another device). */
export interface PresentMember {
  memberId: string;
  name: string;
  you: boolean;
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
  'sync.connect': SyncStatus;
  'sync.disconnect': SyncStatus;
  'presence.watch': { watching: string | null };
  'presence.get': PresentMember[];
}

export type ResultOf<M extends Method> = M extends keyof ResultMap ? ResultMap[M] : unknown;
