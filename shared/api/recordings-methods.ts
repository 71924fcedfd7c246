import { z } from 'zod';
import type { ConnEvent } from '../domain/events.js';
import { IdSchema } from '../domain/ids.js';
import { RECORDING_LIMITS, RetentionDaysSchema } from '../domain/recording.js';

/*
 * Call audio on this device (docs/call-audio.md): spread into METHODS in contract.ts, results
 * into Results in results.ts, handlers in main/core/api/recordings.ts. The renderer captures
 * 16 kHz mono 16-bit PCM and sends it here in chunks of a second or two; the core appends them
 * to the recording's WAV file as they come, so a crash loses at most the chunk in flight.
 */

/** Base64 of at most RECORDING_LIMITS.chunkBytes: checked as text before it is decoded. */
const MAX_CHUNK_CHARS = Math.ceil(RECORDING_LIMITS.chunkBytes / 3) * 4;
const Base64Pcm = z
  .string()
  .min(1, 'an empty chunk')
  .max(MAX_CHUNK_CHARS, `a chunk is at most ${RECORDING_LIMITS.chunkBytes} bytes of audio (4 seconds)`)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'a chunk is base64');

export const RECORDING_METHODS = {
  /** Starts recording a running call on this cockpit: the file, then recording.started for everyone. */
  'recordings.start': z.object({ incidentId: IdSchema, callId: IdSchema }).strict(),
  /** One chunk of PCM, in order; `seq` counts from 0 so a chunk sent twice is not written twice. */
  'recordings.chunk': z.object({ recordingId: IdSchema, seq: z.number().int().min(0), pcm: Base64Pcm }).strict(),
  /** Stops it: recording.stopped for everyone, then the transcript is made in the background. */
  'recordings.stop': z.object({ recordingId: IdSchema }).strict(),
  /** This device's recordings (of one incident, or all), the retention and the engine that will transcribe. */
  'recordings.list': z.object({ incidentId: IdSchema.optional() }).strict(),
  /** Deletes the file and its transcript from this device. */
  'recordings.delete': z.object({ recordingId: IdSchema }).strict(),
  /** Reads, or with `days` sets, how long recordings are kept before they are deleted. */
  'recordings.retention': z.object({ days: RetentionDaysSchema.optional() }).strict(),
  /** A recording's transcript, or every transcript of an incident (of one call), with a search. */
  'transcript.get': z
    .object({ incidentId: IdSchema, callId: IdSchema.optional(), recordingId: IdSchema.optional(), search: z.string().trim().min(1).max(200).optional() })
    .strict(),
  /**
   * Shares a stopped recording with the team: uploads it (with its transcript, redactions left
   * out) to the hub in chunks that resume after a cut, then tells everyone (recording.shared).
   */
  'recordings.share': z.object({ recordingId: IdSchema }).strict(),
  /** Brings a teammate's shared recording (and its transcript) to this device, to play it. */
  'recordings.fetch': z.object({ incidentId: IdSchema, recordingId: IdSchema }).strict(),
  /** Scrubs one segment for everyone who holds the transcript (transcript.redacted). */
  'transcript.redact': z
    .object({ incidentId: IdSchema, recordingId: IdSchema, startMs: z.number().int().min(0).max(RECORDING_LIMITS.maxDurationMs), reason: z.string().trim().min(1, 'a redaction needs a reason').max(500) })
    .strict(),
} as const;

export type RecordingStateName = 'recording' | 'stopped' | 'transcribing' | 'transcribed' | 'no-transcript';

export interface RecordingInfo {
  id: string;
  incidentId: string;
  callId: string;
  startedAt: string;
  /** The file on this device, header included. */
  bytes: number;
  durationMs: number;
  state: RecordingStateName;
  /** One line: why there is no transcript, and how to get one. */
  transcriptNote: string | null;
  shared: boolean;
  /** Where the page plays it from: the cockpit's host serves it to this page only. */
  src: string;
}

export interface TranscriptLine {
  recordingId: string;
  callId: string;
  startMs: number;
  endMs: number;
  /** When it was said (recording start + startMs). */
  at: string;
  text: string;
  redacted: boolean;
}

export interface RecordingResults {
  'recordings.start': { recording: RecordingInfo; event: ConnEvent };
  'recordings.chunk': { bytes: number; durationMs: number };
  'recordings.stop': { recording: RecordingInfo; event: ConnEvent };
  'recordings.list': { recordings: RecordingInfo[]; retentionDays: number; engine: string | null; noEngine: string | null };
  'recordings.delete': { deleted: string };
  'recordings.retention': { days: number; pruned: number };
  'transcript.get': { lines: TranscriptLine[] };
  'transcript.redact': { event: ConnEvent };
  'recordings.share': { recording: RecordingInfo; event: ConnEvent };
  'recordings.fetch': { recording: RecordingInfo };
}

/** The path a host serves a recording's audio at (main/web/web-host.ts, main/shell/app-protocol.ts). */
export const MEDIA_PREFIX = '/media/recordings/';
export function recordingSrc(recordingId: string): string {
  return `${MEDIA_PREFIX}${recordingId}.wav`;
}
/** The recording id a media path names, or null: exactly a UUID and `.wav`, nothing else. */
export function recordingIdOfPath(pathname: string): string | null {
  if (!pathname.startsWith(MEDIA_PREFIX)) return null;
  const m = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.wav$/.exec(pathname.slice(MEDIA_PREFIX.length));
  return m ? m[1]! : null;
}
