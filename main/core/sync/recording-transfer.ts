import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { ConnError } from '../../../shared/domain/errors.js';
import {
  RECORDING_HUB_EVENTS,
  RECORDING_LIMITS,
  RecordingDeleteResponseSchema,
  RecordingFetchResponseSchema,
  RecordingGetResponseSchema,
  RecordingListResponseSchema,
  RecordingOfferSchema,
  RecordingProgressSchema,
  SharedRecordingSchema,
  TranscriptSchema,
  type RecordingDeleteResponse,
  type RecordingGetResponse,
  type SharedRecording,
  type Transcript,
} from '../../../shared/sync/recording-protocol.js';
import type { z } from 'zod';
import type { HubConnection } from './connection.js';
import type { HubChannel } from './engine.js';
import { withHub } from './hub-link.js';

/*
 * Moving call recordings between this cockpit and its hub (protocol: shared/sync/recording-protocol.ts).
 *
 *   uploadRecording(route, file, meta, opts?)  → Promise<SharedRecording>
 *       Shares a local recording: asks the hub how much it already has ('recording.offer'),
 *       sends the rest in 256 KiB chunks, then completes it with the file's SHA-256 (and the
 *       transcript, if given). A cut anywhere (lost connection, hub restart, app quit) rejects
 *       with the error; calling it again with the same arguments resumes where the hub's copy
 *       ends, and never stores a byte twice. Calling it for a recording already shared answers
 *       the shared recording (setting the transcript if one is given).
 *   downloadRecording(route, recordingId, file, opts?)  → Promise<DownloadedRecording>
 *       Fetches a teammate's shared recording into `file` by 1 MiB ranges, through a hidden
 *       partial file beside it that a later call resumes; `file` appears (renamed into place)
 *       only once its SHA-256 matches the hub's. Refused 'conflict' while it is still uploading.
 *   listSharedRecordings(route, incidentId)  → Promise<SharedRecording[]>
 *       The incident's recordings on the hub, oldest first, uploads in progress included.
 *   getSharedRecording(route, recordingId)  → Promise<RecordingGetResponse>  (with its transcript)
 *   shareTranscript(route, recordingId, transcript)  → Promise<SharedRecording>
 *   deleteSharedRecording(route, recordingId)  → Promise<RecordingDeleteResponse>
 *
 * `route` is the cockpit's running sync engine (a HubChannel: one socket per cockpit) or a saved
 * connection (loadConnection(core): a socket of its own for as long as the call runs, which
 * keeps a long upload from queueing in front of the engine's pushes). Every failure is a
 * ConnError with the hub's sentence; 'unavailable' means no hub answered and nothing was lost.
 */

/** A saved connection (one socket per call), or a running one: all a transfer needs of a HubChannel. */
export type RecordingRoute = HubConnection | Pick<HubChannel, 'url' | 'ready' | 'request'>;

export interface UploadMeta {
  recordingId: string;
  incidentId: string;
  callId: string;
  /** "audio/wav" for the cockpit's 16 kHz mono PCM recordings. */
  mime: string;
  durationMs: number;
  transcript?: Transcript;
}

export interface TransferOptions {
  /** How long one request may wait for the hub's answer (default 30 s). */
  timeoutMs?: number;
  /** Called after every chunk with the bytes the hub (upload) or the file (download) holds. */
  onProgress?: (done: number, total: number) => void;
}

export interface DownloadedRecording {
  file: string;
  bytes: number;
  sha256: string;
  recording: SharedRecording;
}

const DEFAULT_TIMEOUT_MS = 30_000;
/** Consecutive 'conflict' answers to a chunk before giving up (each one re-asks the hub where to go on). */
const MAX_RESYNCS = 3;

type Request = (name: string, payload: unknown) => Promise<unknown>;

function isChannel(route: RecordingRoute): route is Pick<HubChannel, 'url' | 'ready' | 'request'> {
  return 'request' in route;
}

const OFFLINE_HINT = '; the recording stays on this device, share it again when the hub is back';

async function withRoute<T>(route: RecordingRoute, timeoutMs: number, fn: (request: Request) => Promise<T>): Promise<T> {
  if (isChannel(route)) {
    try {
      return await fn((name, payload) => route.request(name, payload));
    } catch (err) {
      if (err instanceof ConnError && err.code === 'unavailable' && !route.ready) throw new ConnError('unavailable', `${err.message}${OFFLINE_HINT}`);
      throw err;
    }
  }
  return withHub(route, timeoutMs, async (request) => {
    try {
      return await fn(request);
    } catch (err) {
      // A request that timed out or lost its socket: the hub never answered.
      if (err instanceof ConnError && err.code === 'unavailable' && !err.message.endsWith(OFFLINE_HINT)) throw new ConnError('unavailable', `${err.message}${OFFLINE_HINT}`);
      if (err instanceof ConnError) throw err;
      throw new ConnError('unavailable', `the hub at ${route.url} did not answer (${err instanceof Error ? err.message : String(err)})${OFFLINE_HINT}`);
    }
  }, OFFLINE_HINT);
}

/** `value` checked by `schema`, or an 'invalid-input' ConnError naming the first problem. */
function checked<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const where = issue && issue.path.length ? `${issue.path.join('.')}: ` : '';
  throw new ConnError('invalid-input', `${what}: ${where}${issue?.message ?? 'invalid'}`);
}

async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const piece of createReadStream(file)) hash.update(piece as Buffer);
  return hash.digest('hex');
}

export async function uploadRecording(route: RecordingRoute, file: string, meta: UploadMeta, opts: TransferOptions = {}): Promise<SharedRecording> {
  const size = await stat(file).then(
    (s) => s.size,
    (err: NodeJS.ErrnoException) => {
      throw new ConnError('not-found', `cannot read the recording ${file} (${err.code ?? err.message})`);
    },
  );
  if (size > RECORDING_LIMITS.recordingBytes) {
    throw new ConnError('too-large', `cannot share ${file}: it is ${size} bytes, and a shared recording is at most ${RECORDING_LIMITS.recordingBytes / 1024 ** 3} GiB`);
  }
  // The same checks the hub makes, so a bad share fails here with the same sentence and sends nothing.
  const offer = checked(RecordingOfferSchema, { recordingId: meta.recordingId, incidentId: meta.incidentId, callId: meta.callId, mime: meta.mime, durationMs: meta.durationMs, totalBytes: size }, `cannot share ${file}`);
  if (meta.transcript !== undefined) checked(TranscriptSchema, meta.transcript, `cannot share the transcript of ${file}`);
  const sha256 = await fileSha256(file);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  return withRoute(route, timeoutMs, async (request) => {
    const ask = async () => RecordingProgressSchema.parse(await request(RECORDING_HUB_EVENTS.offer, offer));
    let progress = await ask();
    opts.onProgress?.(progress.received, size);
    if (!progress.complete) {
      const fd = await open(file, 'r');
      try {
        let resyncs = 0;
        while (progress.received < size) {
          const offset = progress.received;
          const length = Math.min(RECORDING_LIMITS.chunkBytes, size - offset);
          const bytes = Buffer.alloc(length);
          const { bytesRead } = await fd.read(bytes, 0, length, offset);
          if (bytesRead !== length) throw new ConnError('conflict', `${file} became shorter while it was being shared: share it again once the recording is finished`);
          try {
            progress = RecordingProgressSchema.parse(await request(RECORDING_HUB_EVENTS.chunk, { recordingId: meta.recordingId, offset, bytes }));
            resyncs = 0;
          } catch (err) {
            // The hub's copy ends elsewhere (another cockpit of ours, or a discarded copy): ask where, go on from there.
            if (!(err instanceof ConnError && err.code === 'conflict') || ++resyncs > MAX_RESYNCS) throw err;
            progress = await ask();
          }
          opts.onProgress?.(progress.received, size);
        }
      } finally {
        await fd.close();
      }
    }
    const complete = { recordingId: meta.recordingId, sha256, ...(meta.transcript !== undefined ? { transcript: meta.transcript } : {}) };
    return SharedRecordingSchema.parse(await request(RECORDING_HUB_EVENTS.complete, complete));
  });
}

/** Where a download in progress is kept: hidden, beside the file, named for the content it will have. */
export function partialDownloadPath(file: string, sha256: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${sha256.slice(0, 16)}.partial`);
}

export async function downloadRecording(route: RecordingRoute, recordingId: string, file: string, opts: TransferOptions = {}): Promise<DownloadedRecording> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return withRoute(route, timeoutMs, async (request) => {
    const { recording } = RecordingGetResponseSchema.parse(await request(RECORDING_HUB_EVENTS.get, { recordingId }));
    if (!recording.complete || recording.sha256 === null) {
      throw new ConnError('conflict', `recording ${recordingId} is still being uploaded by ${recording.uploader} (${recording.received} of ${recording.totalBytes} bytes): play it once it is complete`);
    }
    const total = recording.totalBytes;
    const partial = partialDownloadPath(file, recording.sha256);
    // A partial longer than the recording is not one of ours: start it again.
    let have = await stat(partial).then((s) => s.size, () => 0);
    const fd = await open(partial, have > 0 && have <= total ? 'r+' : 'w', 0o600);
    if (have > total) have = 0;
    try {
      opts.onProgress?.(have, total);
      while (have < total) {
        const r = RecordingFetchResponseSchema.parse(
          await request(RECORDING_HUB_EVENTS.fetch, { recordingId, offset: have, length: Math.min(RECORDING_LIMITS.fetchBytes, total - have) }),
        );
        if (r.sha256 !== recording.sha256 || r.offset !== have) {
          throw new ConnError('conflict', `recording ${recordingId} changed on the hub while it was downloading: download it again`);
        }
        await fd.write(r.bytes, 0, r.bytes.byteLength, have);
        have += r.bytes.byteLength;
        opts.onProgress?.(have, total);
      }
      await fd.sync();
    } finally {
      await fd.close();
    }
    const sha256 = await fileSha256(partial);
    if (sha256 !== recording.sha256) {
      await rm(partial, { force: true });
      throw new ConnError('conflict', `the downloaded recording ${recordingId} does not match the hub's digest, so it was discarded: download it again`);
    }
    await rename(partial, file);
    return { file, bytes: total, sha256, recording };
  });
}

export async function listSharedRecordings(route: RecordingRoute, incidentId: string, opts: TransferOptions = {}): Promise<SharedRecording[]> {
  return withRoute(route, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, async (request) => RecordingListResponseSchema.parse(await request(RECORDING_HUB_EVENTS.list, { incidentId })).recordings);
}

export async function getSharedRecording(route: RecordingRoute, recordingId: string, opts: TransferOptions = {}): Promise<RecordingGetResponse> {
  return withRoute(route, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, async (request) => RecordingGetResponseSchema.parse(await request(RECORDING_HUB_EVENTS.get, { recordingId })));
}

export async function shareTranscript(route: RecordingRoute, recordingId: string, transcript: Transcript, opts: TransferOptions = {}): Promise<SharedRecording> {
  const t = checked(TranscriptSchema, transcript, `cannot share the transcript of recording ${recordingId}`);
  return withRoute(route, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, async (request) => SharedRecordingSchema.parse(await request(RECORDING_HUB_EVENTS.transcript, { recordingId, transcript: t })));
}

export async function deleteSharedRecording(route: RecordingRoute, recordingId: string, opts: TransferOptions = {}): Promise<RecordingDeleteResponse> {
  return withRoute(route, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, async (request) => RecordingDeleteResponseSchema.parse(await request(RECORDING_HUB_EVENTS.delete, { recordingId })));
}
