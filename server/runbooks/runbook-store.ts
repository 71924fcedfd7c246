import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { withPgTransaction } from '../store/pg-transaction.js';
import { ConnError } from '../../shared/domain/errors.js';
import { BREAKGLASS_PACK_NAME } from '../../shared/runbooks/breakglass.js';
import { RUNBOOK_PULL_PAGE_BYTES, type PublishedRunbook } from '../../shared/runbooks/hub-protocol.js';
import { ownerOnlyDatabase } from '../store/owner-only.js';

/*
 * The hub's published runbooks: every version of every team runbook, with a dense per-team
 * sequence (1, 2, 3, … with no gaps) so a client's cursor is complete. Kept apart from the event
 * log (its own table, its own sequence): runbooks are team documents, not incident events.
 */

export interface PublishInput {
  teamId: string;
  author: string;
  name: string;
  content: string;
  baseSeq: number | null;
}

export interface HubRunbookStore {
  publish(input: PublishInput): Promise<{ seq: number; version: number; head: number; created: boolean }>;
  pull(teamId: string, after: number, limit: number): Promise<{ runbooks: PublishedRunbook[]; head: number }>;
  close(): Promise<void>;
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

interface Latest {
  seq: number;
  version: number;
  hash: string;
  author: string;
}

/** The publish rule both stores share: conflict unless based on the newest; same text is a no-op. */
function decide(latest: Latest | undefined, input: PublishInput, hash: string): { reuse: Latest } | { version: number } {
  if (latest && latest.hash === hash) return { reuse: latest };
  if (latest && input.baseSeq !== latest.seq) {
    const pack = input.name === BREAKGLASS_PACK_NAME;
    const what = pack ? `the break-glass pack (team version ${latest.version})` : `"${input.name}" version ${latest.version}`;
    const next = pack
      ? 'run `conn runbook pull` (it keeps your edit aside: `conn breakglass show --set-aside`), merge your edit with `conn breakglass edit`, and run `conn breakglass publish` again'
      : 'run `conn runbook pull`, merge your edit into it, and publish again';
    throw new ConnError('conflict', `${latest.author} published ${what} since your copy was pulled: ${next}`);
  }
  return { version: (latest?.version ?? 0) + 1 };
}

/** Pages by count and by bytes, always at least one row, so one 1 MiB runbook still moves. */
function page<T extends { content: string }>(rows: T[]): T[] {
  const out: T[] = [];
  let bytes = 0;
  for (const r of rows) {
    bytes += r.content.length;
    if (out.length > 0 && bytes > RUNBOOK_PULL_PAGE_BYTES) break;
    out.push(r);
  }
  return out;
}

interface Row {
  seq: number;
  name: string;
  version: number;
  content: string;
  hash: string;
  author: string;
  published_at: string | Date;
}
const toPublished = (r: Row): PublishedRunbook => ({
  seq: Number(r.seq),
  name: r.name,
  version: Number(r.version),
  content: r.content,
  hash: r.hash,
  author: r.author,
  publishedAt: r.published_at instanceof Date ? r.published_at.toISOString() : r.published_at,
});

/** Beside the embedded hub store: its own connection to hub.sqlite (WAL), its own table. */
export function openSqliteRunbookStore(dataDir: string, file = 'hub.sqlite'): HubRunbookStore {
  ownerOnlyDatabase(path.join(dataDir, file));
  const db = new Database(path.join(dataDir, file));
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.exec(`CREATE TABLE IF NOT EXISTS team_runbooks (
    team_id TEXT NOT NULL, seq INTEGER NOT NULL, name TEXT NOT NULL, version INTEGER NOT NULL,
    content TEXT NOT NULL, hash TEXT NOT NULL, author TEXT NOT NULL, published_at TEXT NOT NULL,
    PRIMARY KEY (team_id, seq), UNIQUE (team_id, name, version)) WITHOUT ROWID`);
  const q = {
    latest: db.prepare<[string, string], Latest>('SELECT seq, version, hash, author FROM team_runbooks WHERE team_id = ? AND name = ? ORDER BY version DESC LIMIT 1'),
    head: db.prepare<[string], { head: number }>('SELECT coalesce(max(seq), 0) AS head FROM team_runbooks WHERE team_id = ?'),
    insert: db.prepare('INSERT INTO team_runbooks (team_id, seq, name, version, content, hash, author, published_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    pull: db.prepare<[string, number, number], Row>('SELECT seq, name, version, content, hash, author, published_at FROM team_runbooks WHERE team_id = ? AND seq > ? ORDER BY seq LIMIT ?'),
  };
  // IMMEDIATE: the max(seq) read and the insert are one step against any other writer.
  const publish = db.transaction((input: PublishInput) => {
    const hash = sha256(input.content);
    const d = decide(q.latest.get(input.teamId, input.name), input, hash);
    const head = q.head.get(input.teamId)?.head ?? 0;
    if ('reuse' in d) return { seq: d.reuse.seq, version: d.reuse.version, head, created: false };
    const seq = head + 1;
    q.insert.run(input.teamId, seq, input.name, d.version, input.content, hash, input.author, new Date().toISOString());
    return { seq, version: d.version, head: seq, created: true };
  });
  return {
    publish: async (input) => publish.immediate(input),
    pull: async (teamId, after, limit) => ({ runbooks: page(q.pull.all(teamId, after, limit)).map(toPublished), head: q.head.get(teamId)?.head ?? 0 }),
    close: async () => void db.close(),
  };
}

/** For hubs on Postgres: the same table in the hub's schema; an advisory lock per team keeps seq dense. */
export async function openPostgresRunbookStore(opts: { url: string; schema: string }): Promise<HubRunbookStore> {
  if (!/^[a-z_][a-z0-9_]*$/.test(opts.schema)) throw new ConnError('invalid-input', `"${opts.schema}" is not a valid Postgres schema name`);
  const pool = new pg.Pool({ connectionString: opts.url, max: 4 });
  const t = `"${opts.schema}".team_runbooks`;
  await pool.query(`CREATE SCHEMA IF NOT EXISTS "${opts.schema}"`);
  await pool.query(`CREATE TABLE IF NOT EXISTS ${t} (
    team_id TEXT NOT NULL, seq BIGINT NOT NULL, name TEXT NOT NULL, version INTEGER NOT NULL,
    content TEXT NOT NULL, hash TEXT NOT NULL, author TEXT NOT NULL, published_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (team_id, seq), UNIQUE (team_id, name, version))`);
  const headOf = async (c: pg.PoolClient | pg.Pool, teamId: string) => Number((await c.query<{ head: string }>(`SELECT coalesce(max(seq), 0) AS head FROM ${t} WHERE team_id = $1`, [teamId])).rows[0]?.head ?? 0);
  return {
    async publish(input) {
      return withPgTransaction(pool, async (c) => {
        await c.query("SELECT pg_advisory_xact_lock(hashtext('conn-runbooks:' || $1))", [input.teamId]);
        const hash = sha256(input.content);
        const latest = (await c.query<Latest>(`SELECT seq::int AS seq, version, hash, author FROM ${t} WHERE team_id = $1 AND name = $2 ORDER BY version DESC LIMIT 1`, [input.teamId, input.name])).rows[0];
        const d = decide(latest, input, hash);
        const head = await headOf(c, input.teamId);
        if ('reuse' in d) return { seq: d.reuse.seq, version: d.reuse.version, head, created: false };
        const seq = head + 1;
        await c.query(`INSERT INTO ${t} (team_id, seq, name, version, content, hash, author) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [input.teamId, seq, input.name, d.version, input.content, hash, input.author]);
        return { seq, version: d.version, head: seq, created: true };
      });
    },
    async pull(teamId, after, limit) {
      const rows = (await pool.query<Row>(`SELECT seq, name, version, content, hash, author, published_at FROM ${t} WHERE team_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, [teamId, after, limit])).rows;
      return { runbooks: page(rows).map(toPublished), head: await headOf(pool, teamId) };
    },
    close: () => pool.end(),
  };
}
