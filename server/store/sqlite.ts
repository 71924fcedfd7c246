import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { ConnError } from '../../shared/domain/errors.js';
import { targetOf, type ConnEvent } from '../../shared/domain/events.js';
import { HUB_LIMITS, type SequencedEvent } from '../../shared/sync/protocol.js';
import { AUTHORITY_KIND_LIST, applyCommit, type CommitTx } from './commit.js';
import { scrubEvent as scrub } from '../../shared/domain/redaction.js';
import { toMember, type CommitResult, type HubStore, type Invite, type MemberRow } from './store.js';
import { mintToken, parseToken, secretMatches } from './tokens.js';
import { checkMemberName, checkTeamName } from './names.js';
import { ownerOnlyDatabase } from './owner-only.js';
import { sqliteIntegrations } from './sqlite-integrations.js';
import { enqueueUpdateSqlite, sqliteDeliveryQueue } from '../updates/sqlite-queue.js';
import { sqliteRecordings } from '../recordings/sqlite-recordings.js';
import { cadenceStoreOf } from '../team-settings/team-settings-store.js';
import { sqliteTeamSettingsStore } from '../team-settings/sqlite-team-settings.js';
import { hubSqliteTooNew, migrateHubSqlite, SQLITE_SCHEMA_VERSION } from './sqlite-migrations.js';

/*
 * The embedded store: one SQLite file in the hub's data dir. WAL lets `conn hub invite` and
 * `conn hub revoke` write while the hub serves. Commits are serialised in this process by a
 * promise chain (better-sqlite3 is synchronous, but the shared commit rules are async-shaped),
 * and `BEGIN IMMEDIATE` serialises them against any other process. Its schema is the numbered
 * migrations in sqlite-migrations.ts.
 */

export const HUB_DB_FILE = 'hub.sqlite';

/**
 * Opens the data dir's hub.sqlite (creating it 0600 if needed) and brings its schema up to
 * date; refuses one from a newer Conn before changing anything about it, its journal included.
 */
function openHubDatabase(dataDir: string): { db: Database.Database; migrated: { from: number; to: number } } {
  mkdirSync(dataDir, { recursive: true });
  ownerOnlyDatabase(path.join(dataDir, HUB_DB_FILE));
  const db = new Database(path.join(dataDir, HUB_DB_FILE));
  try {
    db.pragma('busy_timeout = 5000');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SQLITE_SCHEMA_VERSION) throw hubSqliteTooNew(`in ${dataDir}`, version);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    return { db, migrated: migrateHubSqlite(db, `in ${dataDir}`) };
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * `conn hub migrate` on the embedded store: the schema brought up to date without serving. A
 * data dir without a hub database is refused rather than given a new one: it is far more likely
 * a mistyped --data-dir than a hub to create.
 */
export function migrateSqliteHub(dataDir: string): { from: number; to: number } {
  if (!existsSync(path.join(dataDir, HUB_DB_FILE))) {
    throw new ConnError('not-found', `there is no hub database (${HUB_DB_FILE}) in ${dataDir}: check --data-dir (conn hub invite or conn hub serve creates one)`);
  }
  const { db, migrated } = openHubDatabase(dataDir);
  db.close();
  return migrated;
}

export function openSqliteStore(dataDir: string): HubStore {
  const { db } = openHubDatabase(dataDir);

  const q = {
    teamByName: db.prepare<[string], { id: string; name: string }>('SELECT id, name FROM teams WHERE name = ?'),
    insertTeam: db.prepare('INSERT INTO teams (id, name, head, created_at) VALUES (?, ?, 0, ?)'),
    memberByName: db.prepare<[string, string], { id: string }>('SELECT id FROM members WHERE team_id = ? AND name = ?'),
    insertMember: db.prepare('INSERT INTO members (id, team_id, name, role, salt, token_hash, revoked_at, created_at) VALUES (?, ?, ?, ?, ?, ?, NULL, ?)'),
    rotateMember: db.prepare('UPDATE members SET role = ?, salt = ?, token_hash = ?, revoked_at = NULL WHERE id = ?'),
    revoke: db.prepare("UPDATE members SET revoked_at = ? WHERE team_id = ? AND name = ?"),
    member: db.prepare<[string], MemberRow>(
      'SELECT m.id, m.team_id, t.name AS team, m.name, m.role, m.revoked_at, m.salt, m.token_hash FROM members m JOIN teams t ON t.id = m.team_id WHERE m.id = ?',
    ),
    head: db.prepare<[string], { head: number }>('SELECT head FROM teams WHERE id = ?'),
    setHead: db.prepare('UPDATE teams SET head = ? WHERE id = ?'),
    findEvent: db.prepare<[string, string], { seq: number }>('SELECT seq FROM events WHERE team_id = ? AND id = ?'),
    // INDEXED BY here and below: without statistics the planner walks the team's whole primary
    // key instead (every event the team ever had, on every push: it made a push's commit grow
    // with the team's history).
    authority: db.prepare<string[], { body: string }>(
      `SELECT body FROM events INDEXED BY events_by_incident_kind WHERE team_id = ? AND incident_id = ? AND kind IN (${AUTHORITY_KIND_LIST.map(() => '?').join(', ')})`,
    ),
    body: db.prepare<[string, string], { body: string }>('SELECT body FROM events WHERE team_id = ? AND id = ?'),
    redaction: db.prepare<[string, string], { id: string }>("SELECT id FROM events INDEXED BY events_by_target WHERE team_id = ? AND target_id = ? AND kind = 'entry.redacted' LIMIT 1"),
    textOf: db.prepare<[string, string, string, string], { id: string; body: string }>(
      // Two indexed lookups: with the OR in one WHERE the planner walked the team's whole log.
      `SELECT id, body FROM events WHERE team_id = ? AND id = ?
       UNION SELECT id, body FROM events INDEXED BY events_by_target WHERE team_id = ? AND target_id = ? AND kind IN ('entry.edited', 'action.updated')`,
    ),
    rewrite: db.prepare('UPDATE events SET body = ? WHERE team_id = ? AND id = ?'),
    insert: db.prepare('INSERT INTO events (team_id, seq, id, incident_id, kind, target_id, body, committed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    pull: db.prepare<[string, number, number], { seq: number; body: string }>('SELECT seq, body FROM events WHERE team_id = ? AND seq > ? ORDER BY seq LIMIT ?'),
    profile: db.prepare<[string], { time_zone: string; working_hours: string; updated_at: string }>('SELECT time_zone, working_hours, updated_at FROM profiles WHERE member_id = ?'),
    putProfile: db.prepare(
      `INSERT INTO profiles (member_id, team_id, time_zone, working_hours, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (member_id) DO UPDATE SET time_zone = excluded.time_zone, working_hours = excluded.working_hours, updated_at = excluded.updated_at`,
    ),
    profiles: db.prepare<[string, number], { name: string; time_zone: string; working_hours: string; updated_at: string }>(
      `SELECT m.name, p.time_zone, p.working_hours, p.updated_at FROM profiles p JOIN members m ON m.id = p.member_id
       WHERE p.team_id = ? AND m.revoked_at IS NULL ORDER BY m.name COLLATE NOCASE LIMIT ?`,
    ),
  };

  const tx: CommitTx = {
    findEvent: (team, id) => q.findEvent.get(team, id)?.seq,
    authorityEvents: (team, id) => q.authority.all(team, id, ...AUTHORITY_KIND_LIST).map((r) => JSON.parse(r.body) as ConnEvent),
    eventBody: (team, id) => {
      const r = q.body.get(team, id);
      return r ? (JSON.parse(r.body) as ConnEvent) : undefined;
    },
    isRedacted: (team, id) => q.redaction.get(team, id) !== undefined,
    scrubStored: (team, id) => {
      for (const row of q.textOf.all(team, id, team, id)) q.rewrite.run(JSON.stringify(scrub(JSON.parse(row.body) as ConnEvent)), team, row.id);
    },
    insert: (team, seq, e, body) => void q.insert.run(team, seq, e.id, e.incidentId, e.kind, targetOf(e) ?? null, body, Date.now()),
    enqueueUpdate: (team, teamName, update, seq) => enqueueUpdateSqlite(db, team, teamName, update, seq),
  };

  let chain: Promise<unknown> = Promise.resolve();
  function serialised<T>(fn: () => Promise<T>): Promise<T> {
    const next = chain.then(fn, fn);
    chain = next.catch(() => undefined);
    return next;
  }

  /** One commit's transaction: serialised in this process, BEGIN IMMEDIATE against others, the new head saved. */
  function inCommit<T>(teamId: string, fn: (head: number) => Promise<{ value: T; head: number }>): Promise<T> {
    return serialised(async () => {
      db.exec('BEGIN IMMEDIATE');
      try {
        const head = q.head.get(teamId)?.head ?? 0;
        const out = await fn(head);
        if (out.head !== head) q.setHead.run(out.head, teamId);
        db.exec('COMMIT');
        return out.value;
      } catch (err) {
        db.exec('ROLLBACK');
        throw err;
      }
    });
  }

  const teamSettings = sqliteTeamSettingsStore(db);
  return {
    kind: 'sqlite',
    ...sqliteIntegrations(db, tx, inCommit),
    deliveries: sqliteDeliveryQueue(db),
    recordings: sqliteRecordings(db, serialised),
    teamSettings,
    cadence: cadenceStoreOf(teamSettings),
    async invite(team, name, role): Promise<Invite> {
      const teamName = checkTeamName(team);
      const memberName = checkMemberName(name);
      const minted = mintToken();
      const now = new Date().toISOString();
      return db.transaction((): Invite => {
        let t = q.teamByName.get(teamName);
        if (!t) {
          t = { id: randomUUID(), name: teamName };
          q.insertTeam.run(t.id, t.name, now);
        }
        const existing = q.memberByName.get(t.id, memberName);
        if (existing) {
          const again = mintToken(existing.id);
          q.rotateMember.run(role, again.salt, again.hash, existing.id);
          return { token: again.token, team: t.name, name: memberName, role, memberId: existing.id };
        }
        q.insertMember.run(minted.memberId, t.id, memberName, role, minted.salt, minted.hash, now);
        return { token: minted.token, team: t.name, name: memberName, role, memberId: minted.memberId };
      }).immediate();
    },
    async revoke(team, name) {
      const t = q.teamByName.get(checkTeamName(team));
      if (!t) return false;
      return q.revoke.run(new Date().toISOString(), t.id, checkMemberName(name)).changes > 0;
    },
    async authenticate(token) {
      const parsed = parseToken(token);
      if (!parsed) return null;
      const row = q.member.get(parsed.memberId);
      if (!row || !secretMatches(parsed.secret, row.salt, row.token_hash)) return null;
      return toMember(row);
    },
    async member(id) {
      const row = q.member.get(id);
      return row ? toMember(row) : null;
    },
    commit(member, events): Promise<CommitResult> {
      return inCommit(member.teamId, async (head) => {
        const result = await applyCommit(tx, member, events, head);
        return { value: result, head: result.head };
      });
    },
    async pull(teamId, after, limit, { maxBytes = Infinity, json = false } = {}) {
      // One read transaction, so the page and the head are consistent with each other.
      return db.transaction(() => {
        const events: SequencedEvent[] = [];
        let bytes = 0;
        for (const r of q.pull.iterate(teamId, after, limit)) {
          bytes += Buffer.byteLength(r.body);
          if (bytes > maxBytes && events.length > 0) break;
          events.push({ seq: r.seq, event: json ? r.body : (JSON.parse(r.body) as unknown) });
        }
        return { events, head: q.head.get(teamId)?.head ?? 0 };
      })();
    },
    async head(teamId) {
      return q.head.get(teamId)?.head ?? 0;
    },
    async publishProfile(member, p) {
      return db.transaction(() => {
        const before = q.profile.get(member.id);
        if (before && before.time_zone === p.timeZone && before.working_hours === p.workingHours) {
          return { profile: { name: member.name, ...p, updatedAt: before.updated_at }, changed: false };
        }
        const updatedAt = new Date().toISOString();
        q.putProfile.run(member.id, member.teamId, p.timeZone, p.workingHours, updatedAt);
        return { profile: { name: member.name, ...p, updatedAt }, changed: true };
      }).immediate();
    },
    async profiles(teamId) {
      return q.profiles
        .all(teamId, HUB_LIMITS.profiles)
        .map((r) => ({ name: r.name, timeZone: r.time_zone, workingHours: r.working_hours, updatedAt: r.updated_at }));
    },
    async close() {
      await chain;
      db.close();
    },
  };
}
