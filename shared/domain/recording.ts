import { z } from 'zod';
import type { Recording } from './fold.js';

/*
 * Call recordings and their transcripts, the parts every side agrees on: the audio format the
 * cockpit writes (and the offline engines read), the limits of a chunk and of a transcript, and
 * how a timeline entry's time becomes an offset into a recording. See docs/call-audio.md.
 */

/** The audio Conn writes: what pocketsphinx and whisper.cpp read without conversion. */
export const AUDIO_FORMAT = { sampleRate: 16_000, channels: 1, bitsPerSample: 16 } as const;
export const BYTES_PER_SECOND = AUDIO_FORMAT.sampleRate * AUDIO_FORMAT.channels * (AUDIO_FORMAT.bitsPerSample / 8);

export const RECORDING_LIMITS = {
  /**
   * One chunk of PCM as the renderer sends it (about every 1.5 s, so 48 000 bytes). Four seconds'
   * worth fits well under the RPC message limit once base64-encoded (4/3 larger).
   */
  chunkBytes: 4 * BYTES_PER_SECOND,
  /** A recording stops growing at 8 hours (about 920 MB): no call is longer, and a disk is finite. */
  maxDurationMs: 8 * 3600_000,
  /** Segments of one transcript (pocketsphinx makes one per utterance: a few per minute). */
  segments: 50_000,
  segmentChars: 4_000,
  /** Retention in days: at least a day, at most ten years. */
  minRetentionDays: 1,
  maxRetentionDays: 3650,
  defaultRetentionDays: 30,
} as const;

/** One stretch of a transcript: milliseconds from the start of the recording, and the words. */
export const TranscriptSegmentSchema = z
  .object({
    startMs: z.number().int().min(0).max(RECORDING_LIMITS.maxDurationMs),
    endMs: z.number().int().min(0).max(RECORDING_LIMITS.maxDurationMs),
    text: z.string().trim().min(1).max(RECORDING_LIMITS.segmentChars),
  })
  .strict()
  .refine((s) => s.endMs >= s.startMs, 'a segment ends before it starts');
export type TranscriptSegment = z.infer<typeof TranscriptSegmentSchema>;

export const TranscriptSchema = z.array(TranscriptSegmentSchema).max(RECORDING_LIMITS.segments);

export const RetentionDaysSchema = z
  .number()
  .int()
  .min(RECORDING_LIMITS.minRetentionDays, `keep recordings at least ${RECORDING_LIMITS.minRetentionDays} day`)
  .max(RECORDING_LIMITS.maxRetentionDays, `keep recordings at most ${RECORDING_LIMITS.maxRetentionDays} days`);

/** Milliseconds of audio in `bytes` of PCM in AUDIO_FORMAT. */
export function pcmDurationMs(bytes: number): number {
  return Math.floor((bytes / BYTES_PER_SECOND) * 1000);
}

/**
 * The recording an entry made at `at` falls in, with its offset: the one that had started by
 * then and had not stopped (or has not yet), the earliest first if two overlap (two people
 * recording the same call). Null when no recording covers that moment.
 */
export function offsetInto<R extends Pick<Recording, 'callId' | 'startedAt' | 'durationMs'>>(recordings: readonly R[], at: string, callId?: string): { recording: R; offsetMs: number } | null {
  const t = Date.parse(at);
  if (Number.isNaN(t)) return null;
  for (const r of recordings) {
    if (callId !== undefined && r.callId !== callId) continue;
    const start = Date.parse(r.startedAt);
    const end = r.durationMs !== null ? start + r.durationMs : Number.POSITIVE_INFINITY;
    if (t >= start && t <= end) return { recording: r, offsetMs: t - start };
  }
  return null;
}

/** An offset as people read it on a player: "4:07", "1:02:03". */
export function formatOffset(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** Bytes as the app shows a file's size: "812 KB", "14.2 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${Math.round(bytes / 1000)} KB`;
  if (bytes < 1_000_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  return `${(bytes / 1_000_000_000).toFixed(2)} GB`;
}
