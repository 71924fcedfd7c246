import { z } from 'zod';
import { IdSchema } from '../domain/ids.js';
import { serialisedBytes } from '../domain/limits.js';

/*
 * Call recordings shared through the hub, for teammates who were asleep. A cockpit uploads a
 * recording it chose to Share in chunks that resume after a cut; teammates list an incident's
 * recordings, read a recording's transcript and fetch its audio by byte range. Sent over the
 * hub's ordinary request path (authentication, per-socket queue, member re-read on every
 * request), beside the sync protocol (protocol.ts) rather than inside it: a hub from before
 * recordings never acks these, and the client's request times out with nothing lost.
 *
 * Client → hub (each with an ack):
 *   'recording.offer'      meta + totalBytes     → progress (how many bytes the hub already has)
 *   'recording.chunk'      offset + bytes        → progress
 *   'recording.complete'   sha256 [+ transcript] → the shared recording
 *   'recording.transcript' transcript            → the shared recording
 *   'recording.fetch'      offset + length       → bytes (complete recordings only)
 *   'recording.get'        recordingId           → the recording and its transcript
 *   'recording.list'       incidentId            → the incident's recordings
 *   'recording.delete'     recordingId           → what was freed
 * Hub → client (no ack): 'recording.changed' {incidentId, recordingId, change}: ask again.
 *
 * Every id is a team's own namespace, like event ids: another team's recording reads as absent.
 */

export const RECORDING_HUB_EVENTS = {
  offer: 'recording.offer',
  chunk: 'recording.chunk',
  complete: 'recording.complete',
  transcript: 'recording.transcript',
  fetch: 'recording.fetch',
  get: 'recording.get',
  list: 'recording.list',
  delete: 'recording.delete',
  changed: 'recording.changed',
} as const;

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

/**
 * Size limits of recordings on the wire and in the hub. A chunk is small enough that a cut
 * costs little and one request never holds the socket long; a recording is at most 1 GiB
 * (about nine hours of 16 kHz mono 16-bit WAV).
 */
export const RECORDING_LIMITS = {
  chunkBytes: 256 * KiB,
  fetchBytes: 1 * MiB,
  recordingBytes: 1 * GiB,
  durationMs: 24 * 60 * 60 * 1000,
  transcriptSegments: 20_000,
  segmentChars: 2_000,
  /** One transcript's JSON, UTF-8. */
  transcriptBytes: 2 * MiB,
  /** Recordings one 'recording.list' answers with (an incident has a handful). */
  listRecordings: 500,
  /** Recordings one team may keep on the hub at once, complete or not. */
  teamRecordings: 10_000,
  /** A transcript segment may end this far past the recording's declared duration (engines round). */
  segmentSlackMs: 1_000,
} as const;

/** Hub defaults, each a `conn hub serve` option (--recording-quota, --recording-retention). */
export const RECORDING_DEFAULTS = {
  teamQuotaBytes: 2 * GiB,
  retentionMs: 30 * 24 * 60 * 60 * 1000,
} as const;

/** A MIME type of audio, as MediaRecorder names it ("audio/webm;codecs=opus") or plain ("audio/wav"). */
export const RecordingMimeSchema = z
  .string()
  .max(100)
  .regex(/^audio\/[a-z0-9.+-]{1,40}(;\s*codecs="?[a-z0-9.,+-]{1,40}"?)?$/i, 'not an audio MIME type (e.g. audio/wav)');

/** Raw bytes: a Buffer in Node, an ArrayBuffer from a browser's socket.io; at most `max` and at least one. */
export const bytesSchema = (max: number) =>
  z.preprocess(
    (v) => (v instanceof ArrayBuffer ? new Uint8Array(v) : v),
    z
      .instanceof(Uint8Array, { message: 'bytes must be binary (a Buffer or ArrayBuffer), not text or numbers' })
      .refine((b) => b.byteLength >= 1, 'no bytes')
      .refine((b) => b.byteLength <= max, `at most ${max / KiB} KiB at a time`),
  );

export const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'not a SHA-256 (64 lower-case hex digits)');

/** One stretch of speech: milliseconds from the recording's start, and what was said. */
export const TranscriptSegmentSchema = z
  .object({
    startMs: z.number().int().min(0).max(RECORDING_LIMITS.durationMs),
    endMs: z.number().int().min(0).max(RECORDING_LIMITS.durationMs),
    text: z.string().max(RECORDING_LIMITS.segmentChars, `a transcript segment holds at most ${RECORDING_LIMITS.segmentChars} characters`),
  })
  .strict()
  .refine((s) => s.startMs <= s.endMs, 'a transcript segment ends before it starts');
export type TranscriptSegment = z.infer<typeof TranscriptSegmentSchema>;

/** A whole transcript: at most transcriptSegments segments and transcriptBytes of JSON. */
export const TranscriptSchema = z
  .array(TranscriptSegmentSchema)
  .max(RECORDING_LIMITS.transcriptSegments, `a transcript holds at most ${RECORDING_LIMITS.transcriptSegments} segments`)
  .refine((t) => serialisedBytes(t) <= RECORDING_LIMITS.transcriptBytes, `a transcript is at most ${RECORDING_LIMITS.transcriptBytes / MiB} MiB`);
export type Transcript = z.infer<typeof TranscriptSchema>;

/**
 * 'recording.offer': the recording's meta and its size, before (or to resume) an upload. The
 * hub creates the recording on the first offer and answers how many bytes it already has, so
 * an upload cut anywhere resumes from `received`. Offering again is harmless and must carry
 * the same meta (a different size or call is 'conflict'). Only the member who first offered a
 * recording uploads to it; a viewer cannot share. Refused 'too-large' when the rest of the
 * recording cannot fit the team's quota: nothing is created then.
 */
export const RecordingOfferSchema = z
  .object({
    recordingId: IdSchema,
    incidentId: IdSchema,
    callId: IdSchema,
    mime: RecordingMimeSchema,
    durationMs: z.number().int().min(0).max(RECORDING_LIMITS.durationMs),
    totalBytes: z.number().int().min(1, 'an empty recording has nothing to share').max(RECORDING_LIMITS.recordingBytes, `a recording is at most ${RECORDING_LIMITS.recordingBytes / GiB} GiB`),
  })
  .strict();
export type RecordingOffer = z.infer<typeof RecordingOfferSchema>;

/** Where an upload stands: the hub holds bytes [0, received) of totalBytes. */
export const RecordingProgressSchema = z.object({
  recordingId: z.string(),
  received: z.number().int().min(0),
  totalBytes: z.number().int().min(1),
  complete: z.boolean(),
});
export type RecordingProgress = z.infer<typeof RecordingProgressSchema>;

/**
 * 'recording.chunk': bytes [offset, offset + bytes.length). `offset` must equal what the hub
 * has received so far, so chunks are stored in order with no gap and no overlap. A chunk the
 * hub already stored at that offset with the same bytes (its ack was lost) is acknowledged
 * again and stored once. Any other offset is 'conflict', and the client offers again to learn
 * where to go on. A chunk that would take the team over its quota is refused 'too-large' and
 * nothing of it is stored.
 */
export const RecordingChunkSchema = z
  .object({
    recordingId: IdSchema,
    offset: z.number().int().min(0).max(RECORDING_LIMITS.recordingBytes),
    bytes: bytesSchema(RECORDING_LIMITS.chunkBytes),
  })
  .strict();
export type RecordingChunk = z.infer<typeof RecordingChunkSchema>;

/**
 * 'recording.complete': every byte is there (received = totalBytes), and `sha256` is the
 * uploader's digest of its file. The hub compares its own copy: equal, the recording is
 * complete and teammates may fetch it; different, the hub's bytes are discarded (received
 * back to 0) and the answer is 'conflict', so a resumed upload never shares a spliced file.
 * Completing a complete recording with the same digest answers it again.
 */
export const RecordingCompleteSchema = z
  .object({ recordingId: IdSchema, sha256: Sha256Schema, transcript: TranscriptSchema.optional() })
  .strict();
export type RecordingComplete = z.infer<typeof RecordingCompleteSchema>;

/** 'recording.transcript': sets (replaces) a recording's transcript; its uploader or a team admin. */
export const RecordingTranscriptSchema = z.object({ recordingId: IdSchema, transcript: TranscriptSchema }).strict();
export type RecordingTranscriptRequest = z.infer<typeof RecordingTranscriptSchema>;

/** A recording as the hub lists it. `uploader` is the member's invite name; times are the hub's ISO times. */
export const SharedRecordingSchema = z.object({
  recordingId: z.string(),
  incidentId: z.string(),
  callId: z.string(),
  uploader: z.string(),
  mime: z.string(),
  durationMs: z.number().int().min(0),
  totalBytes: z.number().int().min(1),
  received: z.number().int().min(0),
  complete: z.boolean(),
  /** The whole file's SHA-256 once complete, else null. */
  sha256: z.string().nullable(),
  createdAt: z.string(),
  completedAt: z.string().nullable(),
  transcriptSegments: z.number().int().min(0),
});
export type SharedRecording = z.infer<typeof SharedRecordingSchema>;

/**
 * 'recording.fetch': bytes [offset, offset + length) of a complete recording, cut short at its
 * end. Any member of the team may fetch, viewers too. An incomplete recording is 'conflict'
 * (its bytes may still be discarded by a failed digest), an offset at or past the end is
 * 'invalid-input'.
 */
export const RecordingFetchSchema = z
  .object({
    recordingId: IdSchema,
    offset: z.number().int().min(0).max(RECORDING_LIMITS.recordingBytes),
    length: z.number().int().min(1).max(RECORDING_LIMITS.fetchBytes, `a fetch reads at most ${RECORDING_LIMITS.fetchBytes / MiB} MiB`),
  })
  .strict();
export type RecordingFetch = z.infer<typeof RecordingFetchSchema>;

export const RecordingFetchResponseSchema = z.object({
  recordingId: z.string(),
  offset: z.number().int().min(0),
  bytes: bytesSchema(RECORDING_LIMITS.fetchBytes),
  totalBytes: z.number().int().min(1),
  sha256: Sha256Schema,
});
export type RecordingFetchResponse = z.infer<typeof RecordingFetchResponseSchema>;

/** 'recording.get': one recording with its transcript (null when none was shared). */
export const RecordingGetSchema = z.object({ recordingId: IdSchema }).strict();
export const RecordingGetResponseSchema = z.object({ recording: SharedRecordingSchema, transcript: z.array(TranscriptSegmentSchema).nullable() });
export type RecordingGetResponse = z.infer<typeof RecordingGetResponseSchema>;

/** 'recording.list': an incident's recordings, oldest first, complete or not (uploads in progress show their progress). */
export const RecordingListSchema = z.object({ incidentId: IdSchema }).strict();
export const RecordingListResponseSchema = z.object({ recordings: z.array(SharedRecordingSchema).max(RECORDING_LIMITS.listRecordings) });
export type RecordingListResponse = z.infer<typeof RecordingListResponseSchema>;

/** 'recording.delete': its uploader or a team admin removes a recording, its bytes and its transcript. */
export const RecordingDeleteSchema = z.object({ recordingId: IdSchema }).strict();
export const RecordingDeleteResponseSchema = z.object({ recordingId: z.string(), freedBytes: z.number().int().min(0) });
export type RecordingDeleteResponse = z.infer<typeof RecordingDeleteResponseSchema>;

/** 'recording.changed': sent to the team room after a recording completed, got a transcript or went. */
export const RecordingChangedSchema = z.object({
  incidentId: z.string(),
  recordingId: z.string(),
  change: z.enum(['shared', 'transcript', 'deleted']),
});
export type RecordingChanged = z.infer<typeof RecordingChangedSchema>;
