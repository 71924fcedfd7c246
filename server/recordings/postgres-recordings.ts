import type pg from 'pg';
import type { Transcript } from '../../shared/sync/recording-protocol.js';
import { withPgTransaction } from '../store/pg-transaction.js';
import { recordingStore } from './recording-rules.js';
import { RECORDING_COLUMNS, recordingRowOf, type RecordingDbRow, type RecordingStore, type RecordingTx } from './recording-store.js';

/*
 * Shared recordings on Postgres (tables from migration 7), in the hub's schema, shared by every
 * node. A write takes a per-team advisory lock for its transaction, so the quota check and the
 * append it guards are one step across nodes, without touching the teams row whose lock is the
 * event sequencer (an upload never holds up a team's commits).
 */

/** `s` is the quoted schema name, as the store's other queries use it. */
export function postgresRecordings(pool: pg.Pool, s: string): RecordingStore {
  const txOn = (c: pg.ClientBase): RecordingTx => ({
    recording: async (team, id) => {
      const r = (await c.query<RecordingDbRow>(`SELECT ${RECORDING_COLUMNS} FROM ${s}.recordings WHERE team_id = $1 AND id = $2`, [team, id])).rows[0];
      return r ? recordingRowOf(r) : undefined;
    },
    teamUsage: async (team) => {
      const u = (await c.query<{ bytes: string; n: string }>(`SELECT coalesce(sum(received), 0) AS bytes, count(*) AS n FROM ${s}.recordings WHERE team_id = $1`, [team])).rows[0]!;
      return { bytes: Number(u.bytes), count: Number(u.n) };
    },
    insert: async (r) =>
      void (await c.query(`INSERT INTO ${s}.recordings (${RECORDING_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`, [
        r.teamId, r.id, r.incidentId, r.callId, r.uploaderId, r.uploader, r.mime, r.durationMs, r.totalBytes, r.received, r.complete, r.sha256, r.transcriptSegments, r.createdAt, r.completedAt,
      ])),
    chunkAt: async (team, id, start) =>
      (await c.query<{ bytes: Buffer }>(`SELECT bytes FROM ${s}.recording_chunks WHERE team_id = $1 AND recording_id = $2 AND start_byte = $3`, [team, id, start])).rows[0]?.bytes,
    append: async (team, id, start, bytes) => {
      await c.query(`INSERT INTO ${s}.recording_chunks (team_id, recording_id, start_byte, bytes) VALUES ($1, $2, $3, $4)`, [
        team, id, start, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      ]);
      await c.query(`UPDATE ${s}.recordings SET received = $1 WHERE team_id = $2 AND id = $3`, [start + bytes.byteLength, team, id]);
    },
    chunks: async (team, id, from, to) =>
      (
        await c.query<{ start_byte: string; bytes: Buffer }>(
          `SELECT start_byte, bytes FROM ${s}.recording_chunks
           WHERE team_id = $1 AND recording_id = $2 AND start_byte < $3 AND start_byte + octet_length(bytes) > $4 ORDER BY start_byte`,
          [team, id, to, from],
        )
      ).rows.map((r) => ({ start: Number(r.start_byte), bytes: r.bytes })),
    markComplete: async (team, id, sha256, at) =>
      void (await c.query(`UPDATE ${s}.recordings SET complete = true, sha256 = $1, completed_at = $2 WHERE team_id = $3 AND id = $4`, [sha256, at, team, id])),
    setTranscript: async (team, id, t) =>
      void (await c.query(`UPDATE ${s}.recordings SET transcript = $1, transcript_segments = $2 WHERE team_id = $3 AND id = $4`, [JSON.stringify(t), t.length, team, id])),
    transcript: async (team, id) => {
      const raw = (await c.query<{ transcript: string | null }>(`SELECT transcript FROM ${s}.recordings WHERE team_id = $1 AND id = $2`, [team, id])).rows[0]?.transcript;
      return raw ? (JSON.parse(raw) as Transcript) : null;
    },
    discardBytes: async (team, id) => {
      await c.query(`DELETE FROM ${s}.recording_chunks WHERE team_id = $1 AND recording_id = $2`, [team, id]);
      await c.query(`UPDATE ${s}.recordings SET received = 0 WHERE team_id = $1 AND id = $2`, [team, id]);
    },
    // Chunks go with it (ON DELETE CASCADE).
    remove: async (team, id) => void (await c.query(`DELETE FROM ${s}.recordings WHERE team_id = $1 AND id = $2`, [team, id])),
    list: async (team, incident, limit) =>
      (await c.query<RecordingDbRow>(`SELECT ${RECORDING_COLUMNS} FROM ${s}.recordings WHERE team_id = $1 AND incident_id = $2 ORDER BY created_at, id LIMIT $3`, [team, incident, limit])).rows.map(recordingRowOf),
  });

  return recordingStore({
    write: (teamId, fn) =>
      withPgTransaction(pool, async (c) => {
        await c.query("SELECT pg_advisory_xact_lock(hashtext('conn-recordings:' || $1))", [teamId]);
        return fn(txOn(c));
      }),
    // One REPEATABLE READ transaction, so a fetch's row and chunks are one snapshot even if a delete lands between them.
    read: (fn) =>
      withPgTransaction(pool, async (c) => {
        await c.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
        return fn(txOn(c));
      }),
    sweep: async (cutoff) =>
      (
        await pool.query<{ team_id: string; id: string; incident_id: string; received: string }>(
          `DELETE FROM ${s}.recordings WHERE created_at < $1 RETURNING team_id, id, incident_id, received`,
          [cutoff],
        )
      ).rows.map((r) => ({ teamId: r.team_id, incidentId: r.incident_id, recordingId: r.id, freedBytes: Number(r.received) })),
    usage: async () =>
      (
        await pool.query<{ team: string; bytes: string }>(
          `SELECT t.name AS team, sum(r.received) AS bytes FROM ${s}.recordings r JOIN ${s}.teams t ON t.id = r.team_id
           GROUP BY t.name HAVING sum(r.received) > 0 ORDER BY t.name`,
        )
      ).rows.map((r) => ({ team: r.team, bytes: Number(r.bytes) })),
  });
}
