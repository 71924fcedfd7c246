import type Database from 'better-sqlite3';
import { ConnError } from '../../shared/domain/errors.js';
import { scrubEvent } from '../../shared/domain/redaction.js';
import type { ConnEvent } from '../../shared/domain/events.js';

/*
 * The embedded hub store's schema, as numbered migrations under PRAGMA user_version. A
 * migration, once released, never changes: hubs out there are at every version, and
 * test/hub/hub-migrations.test.ts builds a database at each earlier version, fills it as that
 * version's hub would have, and opens it with the current code. To change the schema, append.
 */

export interface HubSqliteMigration {
  version: number;
  name: string;
  /** Runs in an IMMEDIATE transaction that also sets user_version, so a crash leaves the previous version intact. */
  up(db: Database.Database): void;
}

export const HUB_SQLITE_MIGRATIONS: readonly HubSqliteMigration[] = [
  {
    version: 1,
    name: 'initial',
    up: (db) =>
      db.exec(`CREATE TABLE teams (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, head INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL);
        CREATE TABLE members (
          id TEXT PRIMARY KEY, team_id TEXT NOT NULL REFERENCES teams(id), name TEXT NOT NULL COLLATE NOCASE,
          role TEXT NOT NULL, salt TEXT NOT NULL, token_hash TEXT NOT NULL, revoked_at TEXT, created_at TEXT NOT NULL,
          UNIQUE (team_id, name));
        CREATE TABLE incidents (id TEXT PRIMARY KEY, team_id TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE events (
          team_id TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL UNIQUE, incident_id TEXT NOT NULL,
          kind TEXT NOT NULL, body TEXT NOT NULL, committed_at INTEGER NOT NULL,
          PRIMARY KEY (team_id, seq)) WITHOUT ROWID;
        CREATE INDEX events_by_incident_kind ON events (incident_id, kind);`),
  },
  {
    // Redactions scrub their target's stored words: find an entry's redaction and edits by target.
    // (Rows already stored got no target here; migration 4 fills them in.)
    version: 2,
    name: 'event-targets',
    up: (db) =>
      db.exec(`ALTER TABLE events ADD COLUMN target_id TEXT;
        CREATE INDEX events_by_target ON events (target_id) WHERE target_id IS NOT NULL;`),
  },
  {
    // Ids are a team's own namespace: an event or incident id is unique within its team only, so
    // another team's ids can neither block ours nor be confirmed by a refusal. The incidents
    // table (which team first wrote an incident) has no job left.
    version: 3,
    name: 'team-namespaced-ids',
    up: (db) =>
      db.exec(`CREATE TABLE events_by_team (
          team_id TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL, incident_id TEXT NOT NULL,
          kind TEXT NOT NULL, target_id TEXT, body TEXT NOT NULL, committed_at INTEGER NOT NULL,
          PRIMARY KEY (team_id, seq), UNIQUE (team_id, id)) WITHOUT ROWID;
        INSERT INTO events_by_team SELECT team_id, seq, id, incident_id, kind, target_id, body, committed_at FROM events;
        DROP TABLE events;
        ALTER TABLE events_by_team RENAME TO events;
        CREATE INDEX events_by_incident_kind ON events (team_id, incident_id, kind);
        CREATE INDEX events_by_target ON events (team_id, target_id) WHERE target_id IS NOT NULL;
        DROP TABLE incidents;`),
  },
  {
    // A hub created at version 1 stored events without target_id and did not scrub redacted
    // words; migration 2 added the column but left those rows NULL. So after upgrading, such a
    // hub could not find an old redaction (a late edit of the redacted entry was stored with its
    // words) and kept serving the words an old redaction removed. Fill in every missing target
    // from the event itself, then scrub what every stored redaction covers, exactly as a commit
    // does (scrubbing twice changes nothing, so rows scrubbed since are left as they are).
    version: 4,
    name: 'backfill-targets-and-scrub',
    up: (db) => {
      db.exec(`UPDATE events SET target_id = json_extract(body, '$.payload.target')
        WHERE target_id IS NULL AND json_type(body, '$.payload.target') = 'text'`);
      const redactions = db
        .prepare<[], { team_id: string; target_id: string }>("SELECT team_id, target_id FROM events WHERE kind = 'entry.redacted' AND target_id IS NOT NULL")
        .all();
      const covered = db.prepare<[string, string, string], { id: string; body: string }>(
        "SELECT id, body FROM events WHERE team_id = ? AND (id = ? OR (target_id = ? AND kind IN ('entry.edited', 'action.updated')))",
      );
      const rewrite = db.prepare('UPDATE events SET body = ? WHERE team_id = ? AND id = ?');
      for (const r of redactions) {
        for (const row of covered.all(r.team_id, r.target_id, r.target_id)) {
          const scrubbed = JSON.stringify(scrubEvent(JSON.parse(row.body) as ConnEvent));
          if (scrubbed !== row.body) rewrite.run(scrubbed, r.team_id, row.id);
        }
      }
    },
  },
  {
    // Teammates' profiles: each member's own time zone and working hours, so every cockpit's
    // roster can show a person's local time. One row per member, kept with the member.
    version: 5,
    name: 'member-profiles',
    up: (db) =>
      db.exec(`CREATE TABLE profiles (
          member_id TEXT PRIMARY KEY REFERENCES members(id), team_id TEXT NOT NULL REFERENCES teams(id),
          time_zone TEXT NOT NULL, working_hours TEXT NOT NULL, updated_at TEXT NOT NULL) WITHOUT ROWID;
        CREATE INDEX profiles_by_team ON profiles (team_id);`),
  },
  {
    // Stakeholder-update delivery (server/updates/): each team's channels with their secrets,
    // which never leave the hub; the durable queue, one row per (update, channel), written by
    // the commit that stores the update; and the status-page incident each Conn incident opened.
    version: 6,
    name: 'update-delivery',
    up: (db) =>
      db.exec(`CREATE TABLE update_channels (
          id TEXT PRIMARY KEY, team_id TEXT NOT NULL REFERENCES teams(id), name TEXT NOT NULL COLLATE NOCASE, kind TEXT NOT NULL,
          url TEXT NOT NULL, secret TEXT, page_id TEXT, api_key TEXT, created_at TEXT NOT NULL, UNIQUE (team_id, name));
        CREATE TABLE update_deliveries (
          channel_id TEXT NOT NULL, event_id TEXT NOT NULL, team_id TEXT NOT NULL, incident_id TEXT NOT NULL, seq INTEGER NOT NULL,
          channel_name TEXT NOT NULL, kind TEXT NOT NULL, snapshot TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL,
          next_attempt_at INTEGER NOT NULL, last_status INTEGER, last_response TEXT, delivered_at INTEGER, updated_at INTEGER NOT NULL,
          PRIMARY KEY (channel_id, event_id)) WITHOUT ROWID;
        CREATE INDEX update_deliveries_due ON update_deliveries (state, next_attempt_at);
        CREATE INDEX update_deliveries_by_incident ON update_deliveries (team_id, incident_id);
        CREATE TABLE statuspage_incidents (
          channel_id TEXT NOT NULL, incident_id TEXT NOT NULL, remote_id TEXT NOT NULL, PRIMARY KEY (channel_id, incident_id)) WITHOUT ROWID;`),
  },
  {
    // Alerts open incidents (server/alerts/): each integration is a team's token for one
    // alerting tool with its settings; alert_links remembers which incident each alert
    // (fingerprint, per integration) and each service it named opened or joined, so the next
    // post of the same alert adds a note instead of declaring again.
    version: 7,
    name: 'alert-integrations',
    up: (db) =>
      db.exec(`CREATE TABLE integrations (
          id TEXT PRIMARY KEY, team_id TEXT NOT NULL REFERENCES teams(id), name TEXT NOT NULL COLLATE NOCASE, kind TEXT NOT NULL,
          settings TEXT NOT NULL, salt TEXT NOT NULL, token_hash TEXT NOT NULL, revoked_at TEXT, created_at TEXT NOT NULL,
          UNIQUE (team_id, name));
        CREATE TABLE alert_links (
          team_id TEXT NOT NULL, key_kind TEXT NOT NULL, key TEXT NOT NULL, incident_id TEXT NOT NULL,
          firing INTEGER NOT NULL, updated_at INTEGER NOT NULL,
          PRIMARY KEY (team_id, key_kind, key, incident_id)) WITHOUT ROWID;
        CREATE INDEX alert_links_by_incident ON alert_links (team_id, incident_id, key_kind);`),
  },
  {
    // Shared call recordings (server/recordings/): one row per recording with its meta and
    // transcript, its audio as chunks keyed by the byte each starts at. Rowid tables, not
    // WITHOUT ROWID: their rows are large (up to 256 KiB of audio, 2 MiB of transcript).
    version: 8,
    name: 'shared-recordings',
    up: (db) =>
      db.exec(`CREATE TABLE recordings (
          team_id TEXT NOT NULL REFERENCES teams(id), id TEXT NOT NULL, incident_id TEXT NOT NULL, call_id TEXT NOT NULL,
          uploader_id TEXT NOT NULL, uploader TEXT NOT NULL, mime TEXT NOT NULL, duration_ms INTEGER NOT NULL,
          total_bytes INTEGER NOT NULL, received INTEGER NOT NULL, complete INTEGER NOT NULL, sha256 TEXT,
          transcript TEXT, transcript_segments INTEGER NOT NULL, created_at INTEGER NOT NULL, completed_at INTEGER,
          PRIMARY KEY (team_id, id));
        CREATE INDEX recordings_by_incident ON recordings (team_id, incident_id, created_at);
        CREATE INDEX recordings_by_age ON recordings (created_at);
        CREATE TABLE recording_chunks (
          team_id TEXT NOT NULL, recording_id TEXT NOT NULL, start_byte INTEGER NOT NULL, bytes BLOB NOT NULL,
          PRIMARY KEY (team_id, recording_id, start_byte),
          FOREIGN KEY (team_id, recording_id) REFERENCES recordings (team_id, id) ON DELETE CASCADE);`),
  },
];

/** The hub schema version this Conn writes. */
export const SQLITE_SCHEMA_VERSION = HUB_SQLITE_MIGRATIONS.length;

export function hubSqliteTooNew(where: string, version: number): ConnError {
  return new ConnError(
    'db-too-new',
    `the hub database ${where} is at schema ${version}, newer than this Conn knows (${SQLITE_SCHEMA_VERSION}): it was written by a newer Conn, so upgrade conn to use it; nothing was changed`,
  );
}

/**
 * Brings a hub database up to `upTo` (the latest by default), one migration per IMMEDIATE
 * transaction; refuses a database from a newer Conn. Returns the versions before and after.
 * `where` names the database in the refusal ("in /srv/conn-hub").
 */
export function migrateHubSqlite(db: Database.Database, where: string, upTo = SQLITE_SCHEMA_VERSION): { from: number; to: number } {
  if (!Number.isInteger(upTo) || upTo < 0 || upTo > SQLITE_SCHEMA_VERSION) throw new RangeError(`no hub schema version ${upTo} (0-${SQLITE_SCHEMA_VERSION})`);
  const versionNow = () => db.pragma('user_version', { simple: true }) as number;
  const from = versionNow();
  if (from > SQLITE_SCHEMA_VERSION) throw hubSqliteTooNew(where, from);
  for (const m of HUB_SQLITE_MIGRATIONS) {
    if (m.version <= from || m.version > upTo) continue;
    db.transaction(() => {
      // Another process (`conn hub invite` starting beside `conn hub serve`) may have run it
      // between our read and this lock.
      if (versionNow() >= m.version) return;
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
  return { from, to: versionNow() };
}
