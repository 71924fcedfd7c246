import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { SyncStatus } from '../../shared/api/results.js';
import type { Profile } from '../../shared/domain/profile.js';
import { openDatabase, type Db } from './db/database.js';
import { EventStore } from './store/event-store.js';
import { IncidentStore } from './store/incident-store.js';
import { ProfileStore } from './store/profile-store.js';
import { readWindow, type TimelineWindow, type WindowQuery } from './store/timeline-window.js';

/** What `sync.status` reports (shared/api/results.ts). The sync engine replaces the provider when it starts. */
export type { SyncStatus };

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
  readonly events: EventStore;
  readonly incidents: IncidentStore;
  readonly profile: ProfileStore;
  timeline(q: WindowQuery): TimelineWindow;
  /** Seam for the sync engine: replace to report the live connection state. */
  syncStatusProvider: () => SyncStatus;
  /** Set by the host's SyncSupervisor (main/core/sync/supervisor.ts); null when nothing supervises sync. */
  syncControl: SyncControl | null;
  /** Callbacks run by close(), newest first: let services (sync) stop before the db closes. */
  onClose(fn: () => void | Promise<void>): void;
  close(): Promise<void>;
}

export const DB_FILE_NAME = 'conn.db';

export interface OpenCoreOptions {
  dataDir: string;
  /** For tests: a fixed clock. */
  now?: () => number;
}

export function openCore(opts: OpenCoreOptions): Core {
  mkdirSync(opts.dataDir, { recursive: true });
  const dbFile = path.join(opts.dataDir, DB_FILE_NAME);
  const db = openDatabase(dbFile);
  const profile = new ProfileStore(db);
  const author = (): { id: string; name: string } => {
    const p: Profile = profile.get();
    return { id: p.id, name: p.name };
  };
  const events = new EventStore(db, author, opts.now);
  const incidents = new IncidentStore(db, events);
  const closers: Array<() => void | Promise<void>> = [];
  let closed = false;
  const core: Core = {
    dataDir: opts.dataDir,
    dbFile,
    db,
    events,
    incidents,
    profile,
    timeline: (q) => readWindow(db, q),
    syncStatusProvider: () => ({ state: 'disabled', pending: events.pendingCount() }),
    syncControl: null,
    onClose: (fn) => void closers.push(fn),
    async close() {
      if (closed) return;
      closed = true;
      for (const fn of closers.reverse()) await fn();
      db.close();
    },
  };
  return core;
}
