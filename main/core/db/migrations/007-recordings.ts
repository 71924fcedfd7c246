import { project, type FoldAcc } from '../../../../shared/domain/fold.js';
import type { Migration } from './migration.js';

/*
 * Call recordings on this device (main/core/store/recordings.ts, docs/call-audio.md).
 *
 * recordings: one row per recording this cockpit made (or, once sharing lands, fetched). The
 * audio is a WAV file under the data dir (`path` is relative to it, so a moved data dir keeps
 * working); `bytes` and `duration_ms` are what the file holds now, updated with every chunk.
 * `state` is the recording's life on this device: recording → stopped → transcribing →
 * transcribed, or no-transcript (with `transcript_note`: why not, and how to get one).
 *
 * transcript_segments: what the engine heard, by milliseconds from the start of the recording.
 * They are indexed for search beside the incident's entries (search_docs key `seg:REC:START`),
 * and go with the recording (ON DELETE CASCADE, and the index rows by the store).
 *
 * The fold gained `recordings` and `transcriptRedactions`: stored states are projected again
 * from their accumulators, so an incident untouched since keeps reading like a new one.
 */
export const recordings: Migration = {
  version: 7,
  name: 'recordings',
  up(db) {
    db.exec(`
      CREATE TABLE recordings (
        id TEXT PRIMARY KEY,
        incident_id TEXT NOT NULL,
        call_id TEXT NOT NULL,
        path TEXT NOT NULL,
        started_at TEXT NOT NULL,
        bytes INTEGER NOT NULL DEFAULT 0,
        duration_ms INTEGER NOT NULL DEFAULT 0,
        state TEXT NOT NULL CHECK (state IN ('recording', 'stopped', 'transcribing', 'transcribed', 'no-transcript')),
        transcript_note TEXT,
        shared INTEGER NOT NULL DEFAULT 0
      ) WITHOUT ROWID;
      CREATE INDEX recordings_by_incident ON recordings (incident_id, started_at);
      CREATE TABLE transcript_segments (
        recording_id TEXT NOT NULL REFERENCES recordings (id) ON DELETE CASCADE,
        start_ms INTEGER NOT NULL,
        end_ms INTEGER NOT NULL,
        text TEXT NOT NULL,
        redacted INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (recording_id, start_ms)
      ) WITHOUT ROWID;
    `);
    const save = db.prepare('UPDATE incidents SET state_json = ? WHERE id = ?');
    for (const row of db.prepare<[], { id: string; acc_json: string }>('SELECT id, acc_json FROM incidents').all()) {
      save.run(JSON.stringify(project(JSON.parse(row.acc_json) as FoldAcc)), row.id);
    }
  },
};
