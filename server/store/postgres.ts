import pg from 'pg';
import { inPgTransaction, withPgTransaction } from './pg-transaction.js';
import { randomUUID } from 'node:crypto';
import { targetOf, type ConnEvent } from '../../shared/domain/events.js';
import { HUB_LIMITS, type SequencedEvent } from '../../shared/sync/protocol.js';
import { AUTHORITY_KIND_LIST, applyCommit, type CommitTx, type Prefetched } from './commit.js';
import { ConnError } from '../../shared/domain/errors.js';
import { checkMemberName, checkTeamName } from './names.js';
import { scrubEvent as scrub } from '../../shared/domain/redaction.js';
import { toMember, type CommitResult, type HubStore, type Invite, type MemberRow } from './store.js';
import { mintToken, parseToken, secretMatches } from './tokens.js';
import { postgresIntegrations } from './postgres-integrations.js';
import { cadenceStoreOf } from '../team-settings/team-settings-store.js';
import { postgresTeamSettingsStore } from '../team-settings/postgres-team-settings.js';
import { enqueueUpdatePostgres, postgresDeliveryQueue } from '../updates/postgres-queue.js';
import { postgresRecordings } from '../recordings/postgres-recordings.js';

/*
 * The scale-out store: several hub nodes share one Postgres, which is also the sequencer.
 * A commit takes the team row's lock (SELECT … FOR UPDATE) for the length of its transaction,
 * so commits of one team are serialised across all nodes and seqs stay dense; a rollback
 * gives its numbers back. Teams do not block each other.
 *
 * `schema` keeps one hub's tables apart from anything else in the database (tests use a
 * fresh schema per run and drop it).
 */

export interface PostgresStoreOptions {
  url: string;
  schema?: string;
  poolSize?: number;
}

function ident(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`"${name}" is not a usable Postgres schema name (lower-case letters, digits, _)`);
  return `"${name}"`;
}

/** One step of the Postgres schema; `up` runs inside the transaction that records its version. */
export interface PostgresMigration {
  version: number;
  name: string;
  up(client: pg.ClientBase, s: string): Promise<void>;
}

const sql = (version: number, name: string, text: (s: string) => string): PostgresMigration => ({
  version,
  name,
  up: async (c, s) => void (await c.query(text(s))),
});

/**
 * The Postgres schema, as numbered migrations: each runs once, in its own transaction, and the
 * schema's `schema_version` row says how far a database is. Version 1 is the schema as it was
 * before versioning, written with IF NOT EXISTS so a hub created then adopts it unchanged. A
 * released migration never changes: test/hub/hub-migrations.test.ts migrates a hub from each
 * earlier version (and from both shapes it had before versioning). To change the schema, append.
 */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  sql(1, 'initial', (s) => `
    CREATE TABLE IF NOT EXISTS ${s}.teams (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, head BIGINT NOT NULL DEFAULT 0, created_at TIMESTAMPTZ NOT NULL DEFAULT now());
    CREATE TABLE IF NOT EXISTS ${s}.members (
      id TEXT PRIMARY KEY, team_id TEXT NOT NULL REFERENCES ${s}.teams(id), name TEXT NOT NULL, name_key TEXT NOT NULL,
      role TEXT NOT NULL, salt TEXT NOT NULL, token_hash TEXT NOT NULL, revoked_at TIMESTAMPTZ, created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      UNIQUE (team_id, name_key));
    CREATE TABLE IF NOT EXISTS ${s}.incidents (id TEXT PRIMARY KEY, team_id TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS ${s}.events (
      team_id TEXT NOT NULL, seq BIGINT NOT NULL, id TEXT NOT NULL UNIQUE, incident_id TEXT NOT NULL, kind TEXT NOT NULL,
      body TEXT NOT NULL, committed_at TIMESTAMPTZ NOT NULL DEFAULT now(), PRIMARY KEY (team_id, seq));
    CREATE INDEX IF NOT EXISTS events_by_incident_kind ON ${s}.events (incident_id, kind);
    ALTER TABLE ${s}.events ADD COLUMN IF NOT EXISTS target_id TEXT;
    CREATE INDEX IF NOT EXISTS events_by_target ON ${s}.events (target_id) WHERE target_id IS NOT NULL;`),
  // Ids are a team's own namespace (see sqlite-migrations.ts, migration 3).
  sql(2, 'team-namespaced-ids', (s) => `
    ALTER TABLE ${s}.events DROP CONSTRAINT IF EXISTS events_id_key;
    ALTER TABLE ${s}.events ADD CONSTRAINT events_team_id_key UNIQUE (team_id, id);
    DROP INDEX IF EXISTS ${s}.events_by_incident_kind;
    DROP INDEX IF EXISTS ${s}.events_by_target;
    CREATE INDEX events_by_incident_kind ON ${s}.events (team_id, incident_id, kind);
    CREATE INDEX events_by_target ON ${s}.events (team_id, target_id) WHERE target_id IS NOT NULL;
    DROP TABLE IF EXISTS ${s}.incidents;`),
  {
    // A hub from before target_id existed adopted the column with NULL in every old row, and
    // did not scrub redacted words then: fill in the targets and scrub what every stored
    // redaction covers, as a commit does (see sqlite-migrations.ts, migration 4). The scrub is
    // done here in TypeScript, not SQL, so the stored bodies match every other store byte for byte.
    version: 3,
    name: 'backfill-targets-and-scrub',
    up: async (c, s) => {
      await c.query(`UPDATE ${s}.events SET target_id = body::json -> 'payload' ->> 'target'
        WHERE target_id IS NULL AND json_typeof(body::json -> 'payload' -> 'target') = 'string'`);
      const redactions = (await c.query<{ team_id: string; target_id: string }>(
        `SELECT team_id, target_id FROM ${s}.events WHERE kind = 'entry.redacted' AND target_id IS NOT NULL`,
      )).rows;
      for (const r of redactions) {
        const rows = (await c.query<{ id: string; body: string }>(
          `SELECT id, body FROM ${s}.events WHERE team_id = $1 AND (id = $2 OR (target_id = $2 AND kind IN ('entry.edited', 'action.updated')))`,
          [r.team_id, r.target_id],
        )).rows;
        for (const row of rows) {
          const scrubbed = JSON.stringify(scrub(JSON.parse(row.body) as ConnEvent));
          if (scrubbed !== row.body) await c.query(`UPDATE ${s}.events SET body = $1 WHERE team_id = $2 AND id = $3`, [scrubbed, r.team_id, row.id]);
        }
      }
    },
  },
  // Teammates' profiles (see sqlite-migrations.ts, migration 5).
  sql(4, 'member-profiles', (s) => `
    CREATE TABLE ${s}.profiles (
      member_id TEXT PRIMARY KEY REFERENCES ${s}.members(id), team_id TEXT NOT NULL REFERENCES ${s}.teams(id),
      time_zone TEXT NOT NULL, working_hours TEXT NOT NULL, updated_at TIMESTAMPTZ NOT NULL);
    CREATE INDEX profiles_by_team ON ${s}.profiles (team_id);`),
  // Stakeholder-update delivery (see sqlite-migrations.ts, migration 6).
  sql(5, 'update-delivery', (s) => `
    CREATE TABLE ${s}.update_channels (
      id TEXT PRIMARY KEY, team_id TEXT NOT NULL REFERENCES ${s}.teams(id), name TEXT NOT NULL, name_key TEXT NOT NULL, kind TEXT NOT NULL,
      url TEXT NOT NULL, secret TEXT, page_id TEXT, api_key TEXT, created_at TIMESTAMPTZ NOT NULL DEFAULT now(), UNIQUE (team_id, name_key));
    CREATE TABLE ${s}.update_deliveries (
      channel_id TEXT NOT NULL, event_id TEXT NOT NULL, team_id TEXT NOT NULL, incident_id TEXT NOT NULL, seq BIGINT NOT NULL,
      channel_name TEXT NOT NULL, kind TEXT NOT NULL, snapshot TEXT NOT NULL, state TEXT NOT NULL, attempts INT NOT NULL,
      next_attempt_at BIGINT NOT NULL, last_status INT, last_response TEXT, delivered_at BIGINT, updated_at BIGINT NOT NULL,
      PRIMARY KEY (channel_id, event_id));
    CREATE INDEX update_deliveries_due ON ${s}.update_deliveries (state, next_attempt_at);
    CREATE INDEX update_deliveries_by_incident ON ${s}.update_deliveries (team_id, incident_id);
    CREATE TABLE ${s}.statuspage_incidents (
      channel_id TEXT NOT NULL, incident_id TEXT NOT NULL, remote_id TEXT NOT NULL, PRIMARY KEY (channel_id, incident_id));`),
  // Alert integrations and the links from alerts to incidents (see sqlite-migrations.ts, migration 7).
  sql(6, 'alert-integrations', (s) => `
    CREATE TABLE ${s}.integrations (
      id TEXT PRIMARY KEY, team_id TEXT NOT NULL REFERENCES ${s}.teams(id), name TEXT NOT NULL, kind TEXT NOT NULL,
      settings TEXT NOT NULL, salt TEXT NOT NULL, token_hash TEXT NOT NULL, revoked_at TIMESTAMPTZ, created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      UNIQUE (team_id, name));
    CREATE TABLE ${s}.alert_links (
      team_id TEXT NOT NULL, key_kind TEXT NOT NULL, key TEXT NOT NULL, incident_id TEXT NOT NULL,
      firing BOOLEAN NOT NULL, updated_at BIGINT NOT NULL,
      PRIMARY KEY (team_id, key_kind, key, incident_id));
    CREATE INDEX alert_links_by_incident ON ${s}.alert_links (team_id, incident_id, key_kind);`),
  // Shared call recordings (see sqlite-migrations.ts, migration 8). The audio is bytea, stored
  // EXTERNAL: TOAST would try to compress every chunk, and audio does not compress.
  sql(7, 'shared-recordings', (s) => `
    CREATE TABLE ${s}.recordings (
      team_id TEXT NOT NULL REFERENCES ${s}.teams(id), id TEXT NOT NULL, incident_id TEXT NOT NULL, call_id TEXT NOT NULL,
      uploader_id TEXT NOT NULL, uploader TEXT NOT NULL, mime TEXT NOT NULL, duration_ms BIGINT NOT NULL,
      total_bytes BIGINT NOT NULL, received BIGINT NOT NULL, complete BOOLEAN NOT NULL, sha256 TEXT,
      transcript TEXT, transcript_segments INT NOT NULL, created_at BIGINT NOT NULL, completed_at BIGINT,
      PRIMARY KEY (team_id, id));
    CREATE INDEX recordings_by_incident ON ${s}.recordings (team_id, incident_id, created_at);
    CREATE INDEX recordings_by_age ON ${s}.recordings (created_at);
    CREATE TABLE ${s}.recording_chunks (
      team_id TEXT NOT NULL, recording_id TEXT NOT NULL, start_byte BIGINT NOT NULL, bytes BYTEA NOT NULL,
      PRIMARY KEY (team_id, recording_id, start_byte),
      FOREIGN KEY (team_id, recording_id) REFERENCES ${s}.recordings (team_id, id) ON DELETE CASCADE);
    ALTER TABLE ${s}.recording_chunks ALTER COLUMN bytes SET STORAGE EXTERNAL;`),
  // A team's settings, e.g. its update cadence (see sqlite-migrations.ts, migration 9).
  sql(8, 'team-settings', (s) => `
    CREATE TABLE ${s}.team_settings (
      team_id TEXT NOT NULL REFERENCES ${s}.teams(id), key TEXT NOT NULL, value TEXT NOT NULL,
      updated_by TEXT NOT NULL, updated_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (team_id, key));`),
];

/** Held for a migration on another branch; see HUB_SQLITE_RESERVED_VERSIONS. Empty: no gap is left. */
export const POSTGRES_RESERVED_VERSIONS: readonly number[] = [];

/** The hub schema version this Conn writes: the last migration's. */
export const POSTGRES_SCHEMA_VERSION = POSTGRES_MIGRATIONS[POSTGRES_MIGRATIONS.length - 1]!.version;

/**
 * Brings a hub schema up to `upTo` (all by default) and returns its version before and after;
 * refuses one written by a newer Conn.
 */
export async function migratePostgres(client: pg.ClientBase, schema: string, upTo = POSTGRES_SCHEMA_VERSION): Promise<{ from: number; to: number }> {
  if (!Number.isInteger(upTo) || upTo < 0 || upTo > POSTGRES_SCHEMA_VERSION) throw new RangeError(`no hub schema version ${upTo} (0-${POSTGRES_SCHEMA_VERSION})`);
  const s = ident(schema);
  // An advisory lock so two nodes starting together do not race to migrate.
  await client.query('SELECT pg_advisory_lock(7355608)');
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${s}.schema_version (version INT NOT NULL)`);
    const row = (await client.query<{ version: number }>(`SELECT version FROM ${s}.schema_version`)).rows[0];
    const from = row?.version ?? 0;
    if (row === undefined) await client.query(`INSERT INTO ${s}.schema_version (version) VALUES (0)`);
    if (from > POSTGRES_SCHEMA_VERSION) {
      throw new ConnError(
        'db-too-new',
        `the hub schema "${schema}" is at version ${from}, newer than this Conn knows (${POSTGRES_SCHEMA_VERSION}): it was written by a newer Conn, so upgrade conn to use it; nothing was changed`,
      );
    }
    let version = from;
    for (const m of POSTGRES_MIGRATIONS) {
      if (m.version <= from || m.version > upTo) continue;
      await inPgTransaction(client, async () => {
        await m.up(client, s);
        await client.query(`UPDATE ${s}.schema_version SET version = $1`, [m.version]);
      });
      version = m.version;
    }
    return { from, to: version };
  } finally {
    await client.query('SELECT pg_advisory_unlock(7355608)').catch(() => undefined);
  }
}

/** `conn hub migrate --postgres`: the schema brought up to date (created if absent) without serving. */
export async function migratePostgresHub(url: string, schema: string): Promise<{ from: number; to: number }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await migratePostgres(c, schema);
  } finally {
    await c.end();
  }
}

export async function openPostgresStore(opts: PostgresStoreOptions): Promise<HubStore> {
  const s = ident(opts.schema ?? 'conn_hub');
  const pool = new pg.Pool({ connectionString: opts.url, max: opts.poolSize ?? 10 });
  const setup = await pool.connect();
  try {
    await migratePostgres(setup, opts.schema ?? 'conn_hub');
  } catch (err) {
    setup.release();
    await pool.end();
    throw err;
  }
  setup.release();

  const memberSql = `SELECT m.id, m.team_id, t.name AS team, m.name, m.role, m.revoked_at, m.salt, m.token_hash
                     FROM ${s}.members m JOIN ${s}.teams t ON t.id = m.team_id WHERE m.id = $1`;

  const inTransaction = <T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> => withPgTransaction(pool, fn);

  /** The commit rules' reads and writes on one transaction's connection. */
  const commitTxOn = (c: pg.ClientBase): CommitTx => ({
    findEvent: async (team, id) => {
      const r = (await c.query<{ seq: string }>(`SELECT seq FROM ${s}.events WHERE team_id = $1 AND id = $2`, [team, id])).rows[0];
      return r ? Number(r.seq) : undefined;
    },
    authorityEvents: async (team, id) =>
      (
        await c.query<{ body: string }>(`SELECT body FROM ${s}.events WHERE team_id = $1 AND incident_id = $2 AND kind = ANY($3)`, [team, id, AUTHORITY_KIND_LIST])
      ).rows.map((r) => JSON.parse(r.body) as ConnEvent),
    eventBody: async (team, id) => {
      const r = (await c.query<{ body: string }>(`SELECT body FROM ${s}.events WHERE team_id = $1 AND id = $2`, [team, id])).rows[0];
      return r ? (JSON.parse(r.body) as ConnEvent) : undefined;
    },
    insert: async (team, seq, e, body) =>
      void (await c.query(`INSERT INTO ${s}.events (team_id, seq, id, incident_id, kind, target_id, body) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
        team, seq, e.id, e.incidentId, e.kind, targetOf(e) ?? null, body,
      ])),
    prefetch: async (team, ids, incidentIds) => {
      // One query for everything the commit rules may look up, tagged by what each row answers:
      // 'e' an event this team has (by id), 'r' an id a stored redaction targets, 'a' an asked
      // incident's authority event. Round trips are most of a commit's time on a busy machine.
      const rows = (
        await c.query<{ k: 'e' | 'r' | 'a'; id: string; seq: string | null; body: string | null }>(
          `(SELECT 'e' AS k, id, seq, body FROM ${s}.events WHERE team_id = $1 AND id = ANY($2))
           UNION ALL
           (SELECT DISTINCT 'r', target_id, NULL::bigint, NULL::text FROM ${s}.events WHERE team_id = $1 AND kind = 'entry.redacted' AND target_id = ANY($2))
           UNION ALL
           (SELECT 'a', incident_id, seq, body FROM ${s}.events WHERE team_id = $1 AND incident_id = ANY($3) AND kind = ANY($4) ORDER BY seq)`,
          [team, ids, incidentIds, AUTHORITY_KIND_LIST],
        )
      ).rows;
      const out: Prefetched = { seqs: new Map(), bodies: new Map(), redacted: new Set(), authority: new Map(incidentIds.map((id) => [id, []])) };
      for (const r of rows) {
        if (r.k === 'e') {
          out.seqs.set(r.id, Number(r.seq));
          out.bodies.set(r.id, JSON.parse(r.body!) as ConnEvent);
        } else if (r.k === 'r') out.redacted.add(r.id);
        else out.authority.get(r.id)?.push(JSON.parse(r.body!) as ConnEvent);
      }
      return out;
    },
    insertMany: async (team, rows) => {
      // One statement for the batch: column arrays unnested, so its size never changes the SQL.
      await c.query(
        `INSERT INTO ${s}.events (team_id, seq, id, incident_id, kind, target_id, body)
         SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])`,
        [team, rows.map((r) => r.seq), rows.map((r) => r.event.id), rows.map((r) => r.event.incidentId), rows.map((r) => r.event.kind), rows.map((r) => targetOf(r.event) ?? null), rows.map((r) => r.body)],
      );
    },
    isRedacted: async (team, id) =>
      (await c.query(`SELECT 1 FROM ${s}.events WHERE team_id = $1 AND target_id = $2 AND kind = 'entry.redacted' LIMIT 1`, [team, id])).rowCount! > 0,
    scrubStored: async (team, id) => {
      const rows = (
        await c.query<{ id: string; body: string }>(
          `SELECT id, body FROM ${s}.events WHERE team_id = $1 AND (id = $2 OR (target_id = $2 AND kind IN ('entry.edited', 'action.updated')))`,
          [team, id],
        )
      ).rows;
      for (const r of rows) await c.query(`UPDATE ${s}.events SET body = $1 WHERE team_id = $2 AND id = $3`, [JSON.stringify(scrub(JSON.parse(r.body) as ConnEvent)), team, r.id]);
    },
    enqueueUpdate: (team, teamName, update, seq) => enqueueUpdatePostgres(c, s, team, teamName, update, seq),
  });

  /**
   * One commit's transaction: the team row's lock is the sequencer, taken first and held until
   * COMMIT, so commits of one team are serialised across every node; the new head is saved.
   */
  const inCommit = async <T>(teamId: string, fn: (c: pg.PoolClient, head: number) => Promise<{ value: T; head: number }>): Promise<T> => {
    // BEGIN with the lock, and the new head with COMMIT, each as one simple-protocol round trip
    // (parameters cannot ride along, so the team id goes in as an escaped literal).
    const c = await pool.connect();
    const team = c.escapeLiteral(teamId);
    try {
      const [, locked] = (await c.query(`BEGIN; SELECT head FROM ${s}.teams WHERE id = ${team} FOR UPDATE`)) as unknown as [pg.QueryResult, pg.QueryResult<{ head: string }>];
      try {
        const head = Number(locked.rows[0]?.head ?? 0);
        const out = await fn(c, head);
        await c.query(out.head !== head ? `UPDATE ${s}.teams SET head = ${Number(out.head)} WHERE id = ${team}; COMMIT` : 'COMMIT');
        return out.value;
      } catch (err) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    } finally {
      c.release();
    }
  };

  const teamSettings = postgresTeamSettingsStore(pool, s);
  return {
    kind: 'postgres',
    ...postgresIntegrations(pool, s, commitTxOn, inCommit),
    deliveries: postgresDeliveryQueue(pool, s),
    recordings: postgresRecordings(pool, s),
    teamSettings,
    cadence: cadenceStoreOf(teamSettings),
    async invite(team, name, role): Promise<Invite> {
      const teamName = checkTeamName(team);
      const memberName = checkMemberName(name);
      return inTransaction(async (c) => {
        await c.query(`INSERT INTO ${s}.teams (id, name) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, [randomUUID(), teamName]);
        const t = (await c.query<{ id: string }>(`SELECT id FROM ${s}.teams WHERE name = $1`, [teamName])).rows[0]!;
        const existing = (await c.query<{ id: string }>(`SELECT id FROM ${s}.members WHERE team_id = $1 AND name_key = $2`, [t.id, memberName.toLowerCase()])).rows[0];
        const minted = mintToken(existing?.id);
        if (existing) {
          await c.query(`UPDATE ${s}.members SET role = $1, salt = $2, token_hash = $3, revoked_at = NULL WHERE id = $4`, [role, minted.salt, minted.hash, existing.id]);
        } else {
          await c.query(`INSERT INTO ${s}.members (id, team_id, name, name_key, role, salt, token_hash) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
            minted.memberId, t.id, memberName, memberName.toLowerCase(), role, minted.salt, minted.hash,
          ]);
        }
        return { token: minted.token, team: teamName, name: memberName, role, memberId: minted.memberId };
      });
    },
    async revoke(team, name) {
      const r = await pool.query(
        `UPDATE ${s}.members SET revoked_at = now() WHERE name_key = $2 AND team_id = (SELECT id FROM ${s}.teams WHERE name = $1)`,
        [checkTeamName(team), checkMemberName(name).toLowerCase()],
      );
      return (r.rowCount ?? 0) > 0;
    },
    async authenticate(token) {
      const parsed = parseToken(token);
      if (!parsed) return null;
      const row = (await pool.query<MemberRow>(memberSql, [parsed.memberId])).rows[0];
      if (!row || !secretMatches(parsed.secret, row.salt, row.token_hash)) return null;
      return toMember(row);
    },
    async member(id) {
      const row = (await pool.query<MemberRow>(memberSql, [id])).rows[0];
      return row ? toMember(row) : null;
    },
    commit(member, events): Promise<CommitResult> {
      return inCommit(member.teamId, async (c, head) => {
        const result = await applyCommit(commitTxOn(c), member, events, head);
        return { value: result, head: result.head };
      });
    },
    async pull(teamId, after, limit, { maxBytes = Number.MAX_SAFE_INTEGER, json = false } = {}) {
      // One statement, so one snapshot: the page and the head agree without a transaction, in
      // one round trip (a catch-up is a pull per page, so round trips are most of its cost).
      // The running sum cuts the page at maxBytes of bodies in the database, never in memory here.
      const rows = (
        await pool.query<{ head: string; seq: string | null; body: string | null }>(
          `SELECT t.head, e.seq, e.body FROM ${s}.teams t
           LEFT JOIN LATERAL (
             SELECT seq, body FROM (
               SELECT seq, body, sum(octet_length(body)) OVER (ORDER BY seq) - octet_length(body) AS before
               FROM (SELECT seq, body FROM ${s}.events WHERE team_id = t.id AND seq > $2 ORDER BY seq LIMIT $3) page
             ) sized WHERE before = 0 OR before + octet_length(body) <= $4
           ) e ON true
           WHERE t.id = $1 ORDER BY e.seq`,
          [teamId, after, limit, maxBytes],
        )
      ).rows;
      const head = Number(rows[0]?.head ?? 0);
      const events: SequencedEvent[] = rows.filter((r) => r.seq !== null).map((r) => ({ seq: Number(r.seq), event: json ? r.body! : (JSON.parse(r.body!) as unknown) }));
      return { events, head };
    },
    async head(teamId) {
      return Number((await pool.query<{ head: string }>(`SELECT head FROM ${s}.teams WHERE id = $1`, [teamId])).rows[0]?.head ?? 0);
    },
    async publishProfile(member, p) {
      return inTransaction(async (c) => {
        const before = (
          await c.query<{ time_zone: string; working_hours: string; updated_at: Date }>(
            `SELECT time_zone, working_hours, updated_at FROM ${s}.profiles WHERE member_id = $1 FOR UPDATE`,
            [member.id],
          )
        ).rows[0];
        if (before && before.time_zone === p.timeZone && before.working_hours === p.workingHours) {
          return { profile: { name: member.name, ...p, updatedAt: before.updated_at.toISOString() }, changed: false };
        }
        const updatedAt = new Date().toISOString();
        await c.query(
          `INSERT INTO ${s}.profiles (member_id, team_id, time_zone, working_hours, updated_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (member_id) DO UPDATE SET time_zone = EXCLUDED.time_zone, working_hours = EXCLUDED.working_hours, updated_at = EXCLUDED.updated_at`,
          [member.id, member.teamId, p.timeZone, p.workingHours, updatedAt],
        );
        return { profile: { name: member.name, ...p, updatedAt }, changed: true };
      });
    },
    async profiles(teamId) {
      const rows = (
        await pool.query<{ name: string; time_zone: string; working_hours: string; updated_at: Date }>(
          `SELECT m.name, p.time_zone, p.working_hours, p.updated_at FROM ${s}.profiles p JOIN ${s}.members m ON m.id = p.member_id
           WHERE p.team_id = $1 AND m.revoked_at IS NULL ORDER BY m.name_key LIMIT $2`,
          [teamId, HUB_LIMITS.profiles],
        )
      ).rows;
      return rows.map((r) => ({ name: r.name, timeZone: r.time_zone, workingHours: r.working_hours, updatedAt: r.updated_at.toISOString() }));
    },
    async close() {
      await pool.end();
    },
  };
}

/** Drops a hub schema and everything in it: for tests and for tearing down a trial hub. */
export async function dropPostgresSchema(url: string, schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`DROP SCHEMA IF EXISTS ${ident(schema)} CASCADE`);
  } finally {
    await c.end();
  }
}
