import type { ConnEvent } from '../domain/events.js';
import type { IncidentState, TimelineItem } from '../domain/fold.js';
import type { IncidentSummary } from '../domain/incident-summary.js';
import type { Profile } from '../domain/profile.js';
import type { ProfileStatus } from './profile-methods.js';
import type { Digest } from '../reports/digest.js';
import type { CallResults } from './calls-methods.js';
import type { RecordingResults } from './recordings-methods.js';
import type { HandoffResults } from './handoff-methods.js';
import type { StoredBreakGlass } from '../runbooks/breakglass.js';
import type { FollowUpResults } from './followup-methods.js';
import type { RunbookDetail, RunbookSummary, SearchHit, Suggestion } from '../runbooks/results.js';
import type { UpdateResults } from './update-methods.js';
import type { CadenceResults } from './cadence-methods.js';
import type { ReportResults } from './reports-methods.js';
import type { IncidentSearchHit, SimilarIncident, TimelineSearchResult } from '../search/results.js';

/*
 * What each method of the contract answers. The params are the zod schemas in contract.ts;
 * these are their results, written once: the core's handler map is typed against them (a
 * handler that returns anything else does not compile), and every client's `call` returns them.
 * Results are plain JSON: they cross a MessagePort, a WebSocket, or (in the CLI) nothing at all.
 */

/**
 * `profiles.list`: a person of the team with their zone and working hours ("HH:MM-HH:MM" in that
 * zone). `self` is this cockpit's own profile (always first); `updatedAt` is when the hub last
 * stored it, null for our own before the hub has it.
 */
export interface TeamProfile {
  name: string;
  timeZone: string;
  workingHours: string;
  self: boolean;
  updatedAt: string | null;
}

/** A window of the timeline, oldest first, and whether rows exist beyond either end. */
export interface TimelineWindow {
  items: TimelineItem[];
  hasBefore: boolean;
  hasAfter: boolean;
  /** Ids of the rows above saved on this machine and not yet acknowledged by the hub (the outbox). */
  pending: string[];
}

/**
 * `sync.status`: "disabled" until a hub is configured; the engine fills in the rest while it
 * runs. The renderer's sync indicator, `conn sync` and the tray read this one shape.
 */
export interface SyncStatus {
  state: 'disabled' | 'offline' | 'connecting' | 'online' | 'error';
  /** Saved here, not yet acknowledged by the hub. */
  pending: number;
  hub?: string;
  /** With several hub nodes: the one this cockpit is on (or trying) now. */
  node?: string;
  /** True while pushing or catching up. */
  syncing?: boolean;
  lastSyncAt?: string | null;
  /** Why the last attempt failed, as a sentence, with its code. */
  error?: string;
  errorCode?: string;
  cursor?: number;
  head?: number;
  /** Local events the hub refused, kept and marked until resent or discarded. */
  rejected?: number;
  /** Pulled events from a newer Conn, kept unread until an upgrade reads them. */
  deferred?: number;
}

/** A local event the hub refused: kept, shown, folded out of the state, until resent or discarded. */
export interface RefusedEvent {
  id: string;
  incidentId: string;
  kind: ConnEvent['kind'];
  code: string;
  message: string;
  at: string;
}

/** One person looking at an incident now; `you` is this cockpit's own member (maybe on another device). */
export interface PresentMember {
  memberId: string;
  name: string;
  you: boolean;
}

export interface Results extends UpdateResults, CallResults, HandoffResults, FollowUpResults, ReportResults, CadenceResults, RecordingResults {
  'profile.get': Profile;
  'profile.status': ProfileStatus;
  'profiles.list': TeamProfile[];
  'profile.set': Profile;
  'incidents.list': IncidentSummary[];
  'incidents.declare': { id: string; ref: string };
  'incidents.get': IncidentState;
  'timeline.window': TimelineWindow;
  'events.append': ConnEvent;
  'events.refused': RefusedEvent[];
  'events.resend': ConnEvent;
  'events.discard': { discarded: string };
  'sync.status': SyncStatus;
  'sync.connect': SyncStatus;
  'sync.disconnect': SyncStatus;
  'runbooks.search': SearchHit[];
  'runbooks.list': RunbookSummary[];
  'runbooks.get': RunbookDetail;
  'runbooks.suggest': Suggestion[];
  'runbooks.attach': { attachId: string };
  'breakglass.get': StoredBreakGlass | null;
  'breakglass.import': StoredBreakGlass;
  'presence.watch': { watching: string | null };
  'presence.get': PresentMember[];
  'calls.end': { ended: ConnEvent; minutes: ConnEvent };
  'minutes.publish': ConnEvent;
  'minutes.get': ConnEvent | null;
  'digest.get': Digest;
  'digest.markRead': { readAt: string };
  'search.incidents': IncidentSearchHit[];
  'timeline.search': TimelineSearchResult;
  'incidents.similar': SimilarIncident[];
}
