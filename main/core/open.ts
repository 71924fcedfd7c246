import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { SyncStatus } from '../../shared/api/results.js';
import type { Profile } from '../../shared/domain/profile.js';
import { CoreBus } from './store/core-bus.js';
import { openDatabase, type Db } from './db/database.js';
import { EventStore } from './store/event-store.js';
import { IncidentStore } from './store/incident-store.js';
import { TeamCadenceStore } from './store/team-cadence.js';
import { TeamSettingsCache } from './store/team-settings.js';
import { ProfileStore } from './store/profile-store.js';
import { RecordingStore } from './store/recordings.js';
import { RunbookLibrary } from './store/runbook-library.js';
import { IncidentDocs, SearchIndex } from './store/search-index.js';
import { readWindow, type TimelineWindow, type WindowQuery } from './store/timeline-window.js';

/** What `sync.status` reports (shared/api/results.ts). */
export type { SyncStatus };

/**
 * Sync as this host runs it, passed in when the core is opened (api/compose.ts): in the desktop
 * core process and `conn web`, the SyncSupervisor; in the CLI, nothing (`conn sync` runs one
 * engine for one command).
 */
export interface SyncService {
  status(): SyncStatus;
  /** What sync.connect, sync.disconnect and presence drive; null where nothing keeps sync running. */
  readonly control: SyncControl | null;
}

/**
 * Seam for a long-running host (the desktop core process, `conn web`): what sync.connect and
 * sync.disconnect drive. Null in the CLI, where `conn connect` is the way.
 */
export interface SyncControl {
  connect(conn: { url: string; token: string }): Promise<SyncStatus>;
  disconnect(): Promise<SyncStatus>;
  /** Puts this cockpit's presence on the incident its window shows (null: none); kept across reconnects and hub switches. */
  watch(incidentId: string | null): void;
  /** Who is looking at an incident now, as the hub last said; empty while not connected. */
  presenceOf(incidentId: string): Presence[];
  /**
   * One request over the running connection (the cockpit's one socket, whose token may live in
   * the shell's keychain rather than on disk); null when sync is not connected now.
   */
  hubRequest(): ((name: string, payload: unknown) => Promise<unknown>) | null;
}

/** One person looking at an incident; `you` marks this cockpit's own member (maybe on another device). */
export interface Presence {
  memberId: string;
  name: string;
  you: boolean;
}

/** The cockpit engine: one database, the services over it. Plain Node; never imports electron. */
export interface Core {
  readonly dataDir: string;
  readonly dbFile: string;
  readonly db: Db;
  /** The core's notifications (store/core-bus.ts): commits, sync status, presence, the runbook library. */
  readonly bus: CoreBus;
  readonly events: EventStore;
  readonly incidents: IncidentStore;
  readonly profile: ProfileStore;
  /** The team's settings (cadence, SLO) as the hub last said (store/team-settings.ts). */
  readonly teamSettings: TeamSettingsCache;
  /** The team's stakeholder-update cadence as the hub last said (store/team-cadence.ts). */
  readonly cadence: TeamCadenceStore;
  /** The team's runbooks and their search, opened on first use (most CLI commands never need them). */
  readonly runbooks: RunbookLibrary;
  /** Full-text search over incidents and their timelines (store/search-index.ts). */
  readonly search: SearchIndex;
  /** Call recordings and their transcripts on this device (store/recordings.ts). */
  readonly recordings: RecordingStore;
  timeline(q: WindowQuery): TimelineWindow;
  /** Sync as the host runs it; idle (status "disabled" or the saved state) where nothing does. */
  readonly sync: SyncService;
  /** Callbacks run by close(), newest first: let services (sync) stop before the db closes. */
  onClose(fn: () => void | Promise<void>): void;
  close(): Promise<void>;
}

export const DB_FILE_NAME = 'conn.db';

export interface OpenCoreOptions {
  dataDir: string;
  /** For tests: a fixed clock. */
  now?: () => number;
  /** Builds the host's sync service over the new core; without it, nothing syncs in this process. */
  sync?: (core: Core) => SyncService;
}

export function openCore(opts: OpenCoreOptions): Core {
  mkdirSync(opts.dataDir, { recursive: true });
  const dbFile = path.join(opts.dataDir, DB_FILE_NAME);
  const db = openDatabase(dbFile);
  new IncidentDocs(db).indexNewTextKinds();
  const profile = new ProfileStore(db);
  const author = (): { id: string; name: string } => {
    const p: Profile = profile.get();
    return { id: p.id, name: p.name };
  };
  const bus = new CoreBus();
  const events = new EventStore(db, author, bus, opts.now);
  const teamSettings = new TeamSettingsCache(db);
  const cadence = new TeamCadenceStore(teamSettings);
  const incidents = new IncidentStore(db, events, () => cadence.cadence());
  const closers: Array<() => void | Promise<void>> = [];
  let runbooks: RunbookLibrary | null = null;
  let sync: SyncService = { status: () => ({ state: 'disabled', pending: events.pendingCount() }), control: null };
  let closed = false;
  const core: Core = {
    dataDir: opts.dataDir,
    dbFile,
    db,
    bus,
    events,
    incidents,
    profile,
    teamSettings,
    cadence,
    search: new SearchIndex(db),
    recordings: new RecordingStore(db, opts.dataDir),
    timeline: (q) => readWindow(db, q),
    get runbooks() {
      return (runbooks ??= new RunbookLibrary(db));
    },
    get sync() {
      return sync;
    },
    onClose: (fn) => void closers.push(fn),
    async close() {
      if (closed) return;
      closed = true;
      for (const fn of closers.reverse()) await fn();
      db.close();
    },
  };
  if (opts.sync) sync = opts.sync(core);
  return core;
}
