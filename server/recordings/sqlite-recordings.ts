import type Database from 'better-sqlite3';
import type { Transcript } from '../../shared/sync/recording-protocol.js';
import { recordingStore } from './recording-rules.js';
import { RECORDING_COLUMNS, recordingRowOf, type RecordingDbRow, type RecordingStore, type RecordingTx, type SweptRecording } from './recording-store.js';

/*
 * Shared recordings on the embedded store (tables from migration 8), on the store's own
 * connection. Writes take the store's queue (the same one commits take) and BEGIN IMMEDIATE:
 * a transaction opened beside a commit in flight on this connection would nest inside it.
 */

export function sqliteRecordings(db: Database.Database, serialised: <T>(fn: () => Promise<T>) => Promise<T>): RecordingStore {
  const q = {
    get: db.prepare<[string, string], RecordingDbRow>(`SELECT ${RECORDING_COLUMNS} FROM recordings WHERE team_id = ? AND id = ?`),
    usage: db.prepare<[string], { bytes: number; n: number }>('SELECT coalesce(sum(received), 0) AS bytes, count(*) AS n FROM recordings WHERE team_id = ?'),
    insert: db.prepare(`INSERT INTO recordings (${RECORDING_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    chunkAt: db.prepare<[string, string, number], { bytes: Buffer }>('SELECT bytes FROM recording_chunks WHERE team_id = ? AND recording_id = ? AND start_byte = ?'),
    addChunk: db.prepare('INSERT INTO recording_chunks (team_id, recording_id, start_byte, bytes) VALUES (?, ?, ?, ?)'),
    setReceived: db.prepare('UPDATE recordings SET received = ? WHERE team_id = ? AND id = ?'),
    // A chunk overlaps [from, to) when it starts before `to` and ends after `from`.
    chunks: db.prepare<[string, string, number, number], { start_byte: number; bytes: Buffer }>(
      'SELECT start_byte, bytes FROM recording_chunks WHERE team_id = ? AND recording_id = ? AND start_byte < ? AND start_byte + length(bytes) > ? ORDER BY start_byte',
    ),
    complete: db.prepare('UPDATE recordings SET complete = 1, sha256 = ?, completed_at = ? WHERE team_id = ? AND id = ?'),
    setTranscript: db.prepare('UPDATE recordings SET transcript = ?, transcript_segments = ? WHERE team_id = ? AND id = ?'),
    transcript: db.prepare<[string, string], { transcript: string | null }>('SELECT transcript FROM recordings WHERE team_id = ? AND id = ?'),
    dropChunks: db.prepare('DELETE FROM recording_chunks WHERE team_id = ? AND recording_id = ?'),
    remove: db.prepare('DELETE FROM recordings WHERE team_id = ? AND id = ?'),
    list: db.prepare<[string, string, number], RecordingDbRow>(`SELECT ${RECORDING_COLUMNS} FROM recordings WHERE team_id = ? AND incident_id = ? ORDER BY created_at, id LIMIT ?`),
    old: db.prepare<[number], { team_id: string; id: string; incident_id: string; received: number }>('SELECT team_id, id, incident_id, received FROM recordings WHERE created_at < ?'),
    usageAll: db.prepare<[], { team: string; bytes: number }>(
      'SELECT t.name AS team, sum(r.received) AS bytes FROM recordings r JOIN teams t ON t.id = r.team_id GROUP BY t.name HAVING sum(r.received) > 0 ORDER BY t.name',
    ),
  };

  const tx: RecordingTx = {
    recording: (team, id) => {
      const r = q.get.get(team, id);
      return r ? recordingRowOf(r) : undefined;
    },
    teamUsage: (team) => {
      const u = q.usage.get(team)!;
      return { bytes: u.bytes, count: u.n };
    },
    insert: (r) =>
      void q.insert.run(r.teamId, r.id, r.incidentId, r.callId, r.uploaderId, r.uploader, r.mime, r.durationMs, r.totalBytes, r.received, r.complete ? 1 : 0, r.sha256, r.transcriptSegments, r.createdAt, r.completedAt),
    chunkAt: (team, id, start) => q.chunkAt.get(team, id, start)?.bytes,
    append: (team, id, start, bytes) => {
      q.addChunk.run(team, id, start, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      q.setReceived.run(start + bytes.byteLength, team, id);
    },
    chunks: (team, id, from, to) => q.chunks.all(team, id, to, from).map((c) => ({ start: c.start_byte, bytes: c.bytes })),
    markComplete: (team, id, sha256, at) => void q.complete.run(sha256, at, team, id),
    setTranscript: (team, id, t) => void q.setTranscript.run(JSON.stringify(t), t.length, team, id),
    transcript: (team, id) => {
      const raw = q.transcript.get(team, id)?.transcript;
      return raw ? (JSON.parse(raw) as Transcript) : null;
    },
    discardBytes: (team, id) => {
      q.dropChunks.run(team, id);
      q.setReceived.run(0, team, id);
    },
    remove: (team, id) => {
      // Chunks go by the foreign key's ON DELETE CASCADE as well; deleting them first does not depend on the pragma.
      q.dropChunks.run(team, id);
      q.remove.run(team, id);
    },
    list: (team, incident, limit) => q.list.all(team, incident, limit).map(recordingRowOf),
  };

  return recordingStore({
    write: (_teamId, fn) =>
      serialised(async () => {
        db.exec('BEGIN IMMEDIATE');
        try {
          const out = await fn(tx);
          db.exec('COMMIT');
          return out;
        } catch (err) {
          db.exec('ROLLBACK');
          throw err;
        }
      }),
    // In the queue too: a read's statements are sync, but the rules await between them, and a
    // delete landing in that gap would leave a fetch with a row and no bytes.
    read: (fn) => serialised(() => fn(tx)),
    sweep: (cutoff) =>
      serialised(async () =>
        db
          .transaction((): SweptRecording[] => {
            const gone = q.old.all(cutoff);
            for (const r of gone) tx.remove(r.team_id, r.id);
            return gone.map((r) => ({ teamId: r.team_id, incidentId: r.incident_id, recordingId: r.id, freedBytes: r.received }));
          })
          .immediate(),
      ),
    usage: async () => q.usageAll.all(),
  });
}
