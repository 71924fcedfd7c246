import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ConnError } from '../../../shared/domain/errors.js';
import { REDACTED_TEXT } from '../../../shared/domain/redaction.js';
import { pcmDurationMs, RECORDING_LIMITS, RetentionDaysSchema, type TranscriptSegment } from '../../../shared/domain/recording.js';
import { scopeToken } from '../../../shared/search/query.js';
import { formatHlc } from '../../../shared/sync/hlc.js';
import type { Db } from '../db/database.js';
import { appendWav, createWav, repairWav, WAV_HEADER_BYTES } from './wav.js';

/*
 * The recordings this cockpit holds (migration 007): the WAV files under <dataDir>/recordings,
 * their rows, their transcript segments and the segments' place in the search index. Files and
 * rows change together: a row is written after its file exists, and a file is removed after its
 * row, so a crash between the two leaves at worst a file no row names (pruned with the folder
 * check in `orphans`), never a row whose audio is silently gone.
 */

export type RecordingState = 'recording' | 'stopped' | 'transcribing' | 'transcribed' | 'no-transcript';

export interface LocalRecording {
  id: string;
  incidentId: string;
  callId: string;
  /** Absolute path of the WAV file. */
  file: string;
  startedAt: string;
  bytes: number;
  durationMs: number;
  state: RecordingState;
  /** Why there is no transcript (and how to get one), when there is none. */
  transcriptNote: string | null;
  shared: boolean;
}

interface Row {
  id: string;
  incident_id: string;
  call_id: string;
  path: string;
  started_at: string;
  bytes: number;
  duration_ms: number;
  state: RecordingState;
  transcript_note: string | null;
  shared: number;
}

export interface StoredSegment extends TranscriptSegment {
  redacted: boolean;
}

const RETENTION_KEY = 'recordings.retentionDays';
export const RECORDINGS_DIR = 'recordings';

/** Search keys of transcript segments: `seg:` + recording id + `:` + start. */
const segKey = (recordingId: string, startMs: number) => `seg:${recordingId}:${startMs}`;

export class RecordingStore {
  private readonly q;
  readonly dir: string;

  constructor(
    private readonly db: Db,
    dataDir: string,
  ) {
    this.dir = path.join(dataDir, RECORDINGS_DIR);
    this.q = {
      insert: db.prepare(`INSERT INTO recordings (id, incident_id, call_id, path, started_at, state) VALUES (?, ?, ?, ?, ?, 'recording')`),
      get: db.prepare<[string], Row>('SELECT * FROM recordings WHERE id = ?'),
      all: db.prepare<[], Row>('SELECT * FROM recordings ORDER BY started_at, id'),
      ofIncident: db.prepare<[string], Row>('SELECT * FROM recordings WHERE incident_id = ? ORDER BY started_at, id'),
      size: db.prepare<[number, number, string]>('UPDATE recordings SET bytes = ?, duration_ms = ? WHERE id = ?'),
      state: db.prepare<[RecordingState, string | null, string]>('UPDATE recordings SET state = ?, transcript_note = ? WHERE id = ?'),
      shared: db.prepare<[string]>('UPDATE recordings SET shared = 1 WHERE id = ?'),
      del: db.prepare<[string]>('DELETE FROM recordings WHERE id = ?'),
      older: db.prepare<[string], Row>("SELECT * FROM recordings WHERE started_at < ? AND state <> 'recording'"),
      segments: db.prepare<[string], { start_ms: number; end_ms: number; text: string; redacted: number }>(
        'SELECT start_ms, end_ms, text, redacted FROM transcript_segments WHERE recording_id = ? ORDER BY start_ms',
      ),
      dropSegments: db.prepare<[string]>('DELETE FROM transcript_segments WHERE recording_id = ?'),
      addSegment: db.prepare<[string, number, number, string]>('INSERT OR REPLACE INTO transcript_segments (recording_id, start_ms, end_ms, text) VALUES (?, ?, ?, ?)'),
      redactSegment: db.prepare<[string, string, number]>('UPDATE transcript_segments SET text = ?, redacted = 1 WHERE recording_id = ? AND start_ms = ? AND redacted = 0'),
      addDoc: db.prepare<[string, string, string]>("INSERT OR IGNORE INTO search_docs (key, incident_id, hlc, kind) VALUES (?, ?, ?, 'recording.started')"),
      addText: db.prepare<[number | bigint, string, string]>('INSERT INTO search_fts (rowid, body, scope) VALUES (?, ?, ?)'),
      docOf: db.prepare<[string], number>('SELECT doc FROM search_docs WHERE key = ?').pluck(),
      dropText: db.prepare<[number]>('DELETE FROM search_fts WHERE rowid = ?'),
      dropDoc: db.prepare<[number]>('DELETE FROM search_docs WHERE doc = ?'),
      docsOf: db.prepare<[string, string], number>("SELECT doc FROM search_docs WHERE key >= ? AND key < ? || x'ff'").pluck(),
      getSetting: db.prepare<[string], string>('SELECT value FROM settings WHERE key = ?').pluck(),
      setSetting: db.prepare<[string, string]>('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
    };
  }

  private fromRow(r: Row): LocalRecording {
    return {
      id: r.id,
      incidentId: r.incident_id,
      callId: r.call_id,
      file: path.join(this.dir, path.basename(r.path)),
      startedAt: r.started_at,
      bytes: r.bytes,
      durationMs: r.duration_ms,
      state: r.state,
      transcriptNote: r.transcript_note,
      shared: r.shared === 1,
    };
  }

  get(id: string): LocalRecording | null {
    const r = this.q.get.get(id);
    return r ? this.fromRow(r) : null;
  }

  require(id: string): LocalRecording {
    const r = this.get(id);
    if (!r) throw new ConnError('not-found', `no recording ${id} on this device; \`conn recording list\` lists them`);
    return r;
  }

  list(incidentId?: string): LocalRecording[] {
    return (incidentId === undefined ? this.q.all.all() : this.q.ofIncident.all(incidentId)).map((r) => this.fromRow(r));
  }

  /** A new recording: its empty WAV on disk first, then its row. */
  start(r: { id: string; incidentId: string; callId: string; startedAt: string }): LocalRecording {
    mkdirSync(this.dir, { recursive: true });
    const name = `${r.id}.wav`;
    const file = path.join(this.dir, name);
    if (this.q.get.get(r.id) || existsSync(file)) throw new ConnError('conflict', `recording ${r.id} already exists`);
    createWav(file);
    this.q.insert.run(r.id, r.incidentId, r.callId, path.join(RECORDINGS_DIR, name), r.startedAt);
    return this.require(r.id);
  }

  /**
   * A teammate's shared recording, downloaded to `file` in this folder (the transfer renames it
   * into place only once whole): its row, stopped and shared.
   */
  adopt(r: { id: string; incidentId: string; callId: string; startedAt: string }): LocalRecording {
    const name = `${r.id}.wav`;
    const bytes = repairWav(path.join(this.dir, name));
    this.db.transaction(() => {
      this.q.insert.run(r.id, r.incidentId, r.callId, path.join(RECORDINGS_DIR, name), r.startedAt);
      this.q.size.run(bytes, pcmDurationMs(bytes), r.id);
      this.q.state.run('stopped', null, r.id);
      this.q.shared.run(r.id);
    })();
    return this.require(r.id);
  }

  /** Appends one chunk of PCM, durably (see wav.ts), and records the new size. */
  append(id: string, pcm: Uint8Array): LocalRecording {
    const rec = this.require(id);
    if (rec.state !== 'recording') throw new ConnError('conflict', `recording ${id} has stopped; start a new one`);
    if (pcm.length % 2 !== 0) throw new ConnError('invalid-input', 'a chunk is 16-bit samples: its length must be even');
    if (pcmDurationMs(rec.bytes + pcm.length) > RECORDING_LIMITS.maxDurationMs) {
      throw new ConnError('too-large', `a recording stops at ${RECORDING_LIMITS.maxDurationMs / 3600_000} hours: stop this one and start another`);
    }
    const bytes = appendWav(rec.file, rec.bytes, pcm);
    this.q.size.run(bytes, pcmDurationMs(bytes), id);
    return { ...rec, bytes, durationMs: pcmDurationMs(bytes) };
  }

  /** Stops a recording; its size is the file's (a last chunk may have landed before a crash). */
  stop(id: string): LocalRecording {
    const rec = this.require(id);
    if (rec.state !== 'recording') throw new ConnError('conflict', `recording ${id} already stopped`);
    const bytes = existsSync(rec.file) ? repairWav(rec.file) : 0;
    this.db.transaction(() => {
      this.q.size.run(bytes, pcmDurationMs(bytes), id);
      this.q.state.run('stopped', null, id);
    })();
    return this.require(id);
  }

  /** Recordings a crash left running: what `recover` in api/recordings.ts closes. */
  running(): LocalRecording[] {
    return this.list().filter((r) => r.state === 'recording');
  }

  setState(id: string, state: RecordingState, note: string | null = null): void {
    this.q.state.run(state, note, id);
  }

  markShared(id: string): void {
    this.q.shared.run(id);
  }

  /** The file's size on disk, header included: what the app shows. */
  fileBytes(rec: LocalRecording): number {
    return rec.bytes + WAV_HEADER_BYTES;
  }

  /**
   * Stores a transcript, replacing any earlier one, and indexes its words for search with the
   * incident's text. Each segment's search position is the moment it was said, so a hit sorts
   * among the entries written then. Segments the team already redacted stay redacted.
   */
  saveTranscript(id: string, segments: TranscriptSegment[], redactedStarts: ReadonlySet<number>): void {
    const rec = this.require(id);
    const startMs = Date.parse(rec.startedAt);
    this.db.transaction(() => {
      this.dropIndex(id);
      this.q.dropSegments.run(id);
      for (const s of segments) {
        const redacted = redactedStarts.has(s.startMs);
        this.q.addSegment.run(id, s.startMs, s.endMs, redacted ? REDACTED_TEXT : s.text);
        if (redacted) {
          this.q.redactSegment.run(REDACTED_TEXT, id, s.startMs);
          continue;
        }
        const key = segKey(id, s.startMs);
        const { lastInsertRowid } = this.q.addDoc.run(key, rec.incidentId, formatHlc({ wall: startMs + s.startMs, counter: 0 }));
        this.q.addText.run(lastInsertRowid, s.text, scopeToken(rec.incidentId));
      }
      this.q.state.run('transcribed', null, id);
    })();
  }

  segments(id: string): StoredSegment[] {
    return this.q.segments.all(id).map((s) => ({ startMs: s.start_ms, endMs: s.end_ms, text: s.text, redacted: s.redacted === 1 }));
  }

  /** Scrubs one segment: its words leave the table and the index (secure-delete), like a redacted entry's. */
  redactSegment(recordingId: string, startMs: number): boolean {
    let changed = false;
    this.db.transaction(() => {
      changed = this.q.redactSegment.run(REDACTED_TEXT, recordingId, startMs).changes > 0;
      const doc = this.q.docOf.get(segKey(recordingId, startMs));
      if (doc !== undefined) {
        this.q.dropText.run(doc);
        this.q.dropDoc.run(doc);
      }
    })();
    return changed;
  }

  private dropIndex(id: string): void {
    const prefix = `seg:${id}:`;
    for (const doc of this.q.docsOf.all(prefix, prefix)) {
      this.q.dropText.run(doc);
      this.q.dropDoc.run(doc);
    }
  }

  /** Deletes a recording: its transcript and their index rows, its row, then its file. */
  delete(id: string): LocalRecording {
    const rec = this.require(id);
    if (rec.state === 'recording') throw new ConnError('conflict', 'stop the recording before deleting it');
    this.db.transaction(() => {
      this.dropIndex(id);
      this.q.dropSegments.run(id);
      this.q.del.run(id);
    })();
    rmSync(rec.file, { force: true });
    return rec;
  }

  retentionDays(): number {
    const raw = this.q.getSetting.get(RETENTION_KEY);
    const parsed = raw === undefined ? null : RetentionDaysSchema.safeParse(Number(raw));
    return parsed?.success ? parsed.data : RECORDING_LIMITS.defaultRetentionDays;
  }

  setRetentionDays(days: number): number {
    const parsed = RetentionDaysSchema.safeParse(days);
    if (!parsed.success) throw new ConnError('invalid-input', parsed.error.issues[0]?.message ?? 'not a number of days');
    this.q.setSetting.run(RETENTION_KEY, String(parsed.data));
    return parsed.data;
  }

  /** Deletes recordings started more than the retention ago (never one still recording). */
  prune(now = Date.now()): LocalRecording[] {
    const cutoff = new Date(now - this.retentionDays() * 86_400_000).toISOString();
    return this.q.older.all(cutoff).map((r) => this.delete(r.id));
  }
}
