import type {
  RecordingChunk,
  RecordingComplete,
  RecordingFetch,
  RecordingFetchResponse,
  RecordingGetResponse,
  RecordingOffer,
  RecordingProgress,
  RecordingTranscriptRequest,
  SharedRecording,
  Transcript,
} from '../../shared/sync/recording-protocol.js';
import type { Member } from '../store/store.js';

/*
 * Shared call recordings in the hub's own store (tables from SQLite migration 8, Postgres 7):
 * one row per recording with its meta and transcript, and its audio as chunk rows keyed by the
 * byte they start at. Why rows in the store rather than large objects or a folder: docs/sync.md,
 * "Shared call recordings". The rules (who may write, offsets, quota, digests) are written once
 * in recording-rules.ts over RecordingTx; each store supplies the rows and the transaction.
 */

/** A recording's row as both stores hand it to the rules (times in epoch ms). */
export interface RecordingRow {
  teamId: string;
  id: string;
  incidentId: string;
  callId: string;
  uploaderId: string;
  uploader: string;
  mime: string;
  durationMs: number;
  totalBytes: number;
  received: number;
  complete: boolean;
  sha256: string | null;
  transcriptSegments: number;
  createdAt: number;
  completedAt: number | null;
}

type Awaitable<T> = T | Promise<T>;

/**
 * The reads and writes the rules need, inside one write transaction that holds the team's
 * recording lock (so the quota check and the append it guards are one step on every node).
 */
export interface RecordingTx {
  recording(teamId: string, id: string): Awaitable<RecordingRow | undefined>;
  /** Bytes the team's recordings hold now (received, complete or not) and how many there are. */
  teamUsage(teamId: string): Awaitable<{ bytes: number; count: number }>;
  insert(row: RecordingRow): Awaitable<void>;
  /** The chunk stored starting at exactly `start`, if any. */
  chunkAt(teamId: string, id: string, start: number): Awaitable<Uint8Array | undefined>;
  /** Stores a chunk at `start` and moves `received` to start + its length. */
  append(teamId: string, id: string, start: number, bytes: Uint8Array): Awaitable<void>;
  /** Chunks overlapping [from, to), by start. */
  chunks(teamId: string, id: string, from: number, to: number): Awaitable<Array<{ start: number; bytes: Uint8Array }>>;
  markComplete(teamId: string, id: string, sha256: string, at: number): Awaitable<void>;
  setTranscript(teamId: string, id: string, transcript: Transcript): Awaitable<void>;
  transcript(teamId: string, id: string): Awaitable<Transcript | null>;
  /** Drops every chunk and sets `received` back to 0. */
  discardBytes(teamId: string, id: string): Awaitable<void>;
  /** Deletes the recording, its chunks and its transcript. */
  remove(teamId: string, id: string): Awaitable<void>;
  list(teamId: string, incidentId: string, limit: number): Awaitable<RecordingRow[]>;
}

/** What a store provides for the rules: a write transaction (holding the team's lock) and plain reads. */
export interface RecordingBackend {
  write<T>(teamId: string, fn: (tx: RecordingTx) => Promise<T>): Promise<T>;
  read<T>(fn: (tx: RecordingTx) => Promise<T>): Promise<T>;
  /** Deletes every recording created before `cutoff` (epoch ms), chunks and transcripts with it. */
  sweep(cutoff: number): Promise<SweptRecording[]>;
  /** Bytes held per team, for the metrics (teams with none are left out). */
  usage(): Promise<Array<{ team: string; bytes: number }>>;
}

export interface SweptRecording {
  teamId: string;
  incidentId: string;
  recordingId: string;
  freedBytes: number;
}

/** A recording whose digest did not match: its bytes are gone, the uploader must send them again. */
export interface DigestMismatch {
  mismatch: { recording: SharedRecording; hubSha256: string };
}

/** The hub's shared recordings, as the request handlers use them (recording-share.ts). */
export interface RecordingStore {
  offer(member: Member, offer: RecordingOffer, quotaBytes: number, now: number): Promise<RecordingProgress>;
  /** `stored` is the bytes this call added: 0 for a resent chunk the hub already had. */
  chunk(member: Member, chunk: RecordingChunk, quotaBytes: number): Promise<RecordingProgress & { stored: number }>;
  complete(member: Member, req: RecordingComplete, now: number): Promise<{ recording: SharedRecording } | DigestMismatch>;
  setTranscript(member: Member, req: RecordingTranscriptRequest): Promise<SharedRecording>;
  fetch(teamId: string, req: RecordingFetch): Promise<RecordingFetchResponse>;
  get(teamId: string, recordingId: string): Promise<RecordingGetResponse>;
  list(teamId: string, incidentId: string): Promise<SharedRecording[]>;
  remove(member: Member, recordingId: string): Promise<{ recording: SharedRecording; freedBytes: number }>;
  sweep(cutoff: number): Promise<SweptRecording[]>;
  usage(): Promise<Array<{ team: string; bytes: number }>>;
}

export function toSharedRecording(r: RecordingRow): SharedRecording {
  return {
    recordingId: r.id,
    incidentId: r.incidentId,
    callId: r.callId,
    uploader: r.uploader,
    mime: r.mime,
    durationMs: r.durationMs,
    totalBytes: r.totalBytes,
    received: r.received,
    complete: r.complete,
    sha256: r.sha256,
    createdAt: new Date(r.createdAt).toISOString(),
    completedAt: r.completedAt === null ? null : new Date(r.completedAt).toISOString(),
    transcriptSegments: r.transcriptSegments,
  };
}

/** The recordings table's columns, in the order both stores read and insert them. */
export const RECORDING_COLUMNS =
  'team_id, id, incident_id, call_id, uploader_id, uploader, mime, duration_ms, total_bytes, received, complete, sha256, transcript_segments, created_at, completed_at';

/**
 * A recordings row as either driver returns it: pg gives BIGINT columns as strings (each fits a
 * double: at most a GiB, or epoch ms) and BOOLEAN as a boolean; SQLite gives numbers and 0/1.
 */
export interface RecordingDbRow {
  team_id: string;
  id: string;
  incident_id: string;
  call_id: string;
  uploader_id: string;
  uploader: string;
  mime: string;
  duration_ms: number | string;
  total_bytes: number | string;
  received: number | string;
  complete: boolean | number;
  sha256: string | null;
  transcript_segments: number;
  created_at: number | string;
  completed_at: number | string | null;
}

export const recordingRowOf = (r: RecordingDbRow): RecordingRow => ({
  teamId: r.team_id,
  id: r.id,
  incidentId: r.incident_id,
  callId: r.call_id,
  uploaderId: r.uploader_id,
  uploader: r.uploader,
  mime: r.mime,
  durationMs: Number(r.duration_ms),
  totalBytes: Number(r.total_bytes),
  received: Number(r.received),
  complete: r.complete === true || r.complete === 1,
  sha256: r.sha256,
  transcriptSegments: r.transcript_segments,
  createdAt: Number(r.created_at),
  completedAt: r.completed_at === null ? null : Number(r.completed_at),
});
