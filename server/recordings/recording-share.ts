import { ConnError } from '../../shared/domain/errors.js';
import {
  RECORDING_DEFAULTS,
  RECORDING_HUB_EVENTS,
  RecordingChunkSchema,
  RecordingCompleteSchema,
  RecordingDeleteSchema,
  RecordingFetchSchema,
  RecordingGetSchema,
  RecordingListSchema,
  RecordingOfferSchema,
  RecordingTranscriptSchema,
  type RecordingChanged,
  type RecordingDeleteResponse,
  type RecordingFetchResponse,
  type RecordingGetResponse,
  type RecordingListResponse,
  type RecordingProgress,
  type SharedRecording,
} from '../../shared/sync/recording-protocol.js';
import type { z } from 'zod';
import type { HubMetrics } from '../hub/metrics.js';
import type { HubStore, Member } from '../store/store.js';

/*
 * The hub's side of shared call recordings: the requests (served through the hub's own request
 * path, so every one is authenticated and the member re-read; a revoked token can neither upload
 * nor fetch), the team's quota, and the retention sweep. Recordings are a team's own: every
 * lookup is by the caller's team, so another team's recording reads as absent.
 */

type Serve = (kind: string, handler: (member: Member, payload: unknown) => Promise<unknown>) => void;

export interface RecordingOptions {
  /** Bytes of recordings one team may keep on the hub (received, complete or not). */
  quotaBytes: number;
  /** Recordings older than this (from their first offer) are deleted with their transcripts. */
  retentionMs: number;
  /** How often the retention sweep runs (it also runs when the hub starts). */
  sweepEveryMs: number;
}

export const DEFAULT_RECORDING_OPTIONS: RecordingOptions = {
  quotaBytes: RECORDING_DEFAULTS.teamQuotaBytes,
  retentionMs: RECORDING_DEFAULTS.retentionMs,
  sweepEveryMs: 60 * 60 * 1000,
};

export interface RecordingService {
  serve(serve: Serve): void;
  /** Runs the retention sweep now; resolves with how many recordings it deleted. */
  sweep(): Promise<number>;
  /** Stops the sweep timer and waits for a sweep in flight. */
  stop(): Promise<void>;
}

export interface RecordingServiceDeps {
  store: HubStore;
  metrics: HubMetrics;
  now: () => number;
  log: (line: string) => void;
  /** Sends a notice to a team's room on every node (the hub's toTeam). */
  broadcast: (teamId: string, event: string, msg: unknown) => void;
}

function parse<T extends z.ZodType>(schema: T, kind: string, payload: unknown): z.infer<T> {
  const req = schema.safeParse(payload);
  if (!req.success) {
    const issue = req.error.issues[0];
    const where = issue && issue.path.length ? `${issue.path.join('.')}: ` : '';
    throw new ConnError('invalid-input', `${kind}: ${where}${issue?.message ?? 'malformed request'}`);
  }
  return req.data;
}

export function startRecordings(deps: RecordingServiceDeps, options: Partial<RecordingOptions> = {}): RecordingService {
  const opts = { ...DEFAULT_RECORDING_OPTIONS, ...options };
  const { store, metrics, now, log } = deps;
  const recordings = store.recordings;
  let sweeping: Promise<number> | null = null;

  const refreshUsage = (): Promise<void> =>
    recordings.usage().then(
      (u) => metrics.setRecordingBytes(u),
      (err: unknown) => log(`recordings: could not read usage for metrics (${err instanceof Error ? err.message : String(err)})`),
    );

  const changed = (r: { incidentId: string; recordingId: string }, teamId: string, change: RecordingChanged['change']): void => {
    const msg: RecordingChanged = { incidentId: r.incidentId, recordingId: r.recordingId, change };
    deps.broadcast(teamId, RECORDING_HUB_EVENTS.changed, msg);
  };

  function sweep(): Promise<number> {
    if (sweeping) return sweeping;
    sweeping = (async () => {
      const gone = await recordings.sweep(now() - opts.retentionMs);
      for (const g of gone) changed(g, g.teamId, 'deleted');
      metrics.recordingsSwept += gone.length;
      if (gone.length) {
        log(`recordings: retention deleted ${gone.length} recording(s) older than ${Math.round(opts.retentionMs / 86_400_000)} days`);
        await refreshUsage();
      }
      return gone.length;
    })().finally(() => (sweeping = null));
    return sweeping;
  }

  const runSweep = () => void sweep().catch((err: unknown) => log(`recordings: retention sweep failed (${err instanceof Error ? err.message : String(err)}); it runs again in ${opts.sweepEveryMs} ms`));
  const timer = setInterval(runSweep, opts.sweepEveryMs);
  timer.unref();
  runSweep();
  void refreshUsage();

  return {
    serve(serve) {
      serve(RECORDING_HUB_EVENTS.offer, async (member, payload): Promise<RecordingProgress> => {
        const req = parse(RecordingOfferSchema, RECORDING_HUB_EVENTS.offer, payload);
        return metrics.time(() => recordings.offer(member, req, opts.quotaBytes, now()));
      });

      serve(RECORDING_HUB_EVENTS.chunk, async (member, payload): Promise<RecordingProgress> => {
        const req = parse(RecordingChunkSchema, RECORDING_HUB_EVENTS.chunk, payload);
        const { stored, ...p } = await metrics.time(() => recordings.chunk(member, req, opts.quotaBytes));
        metrics.recordingBytesStored(member.team, stored);
        return p;
      });

      serve(RECORDING_HUB_EVENTS.complete, async (member, payload): Promise<SharedRecording> => {
        const req = parse(RecordingCompleteSchema, RECORDING_HUB_EVENTS.complete, payload);
        const out = await metrics.time(() => recordings.complete(member, req, now()));
        if ('mismatch' in out) {
          await refreshUsage();
          throw new ConnError(
            'conflict',
            `the hub's copy of recording ${req.recordingId} does not match yours (SHA-256 ${out.mismatch.hubSha256.slice(0, 12)}… against ${req.sha256.slice(0, 12)}…), so it was discarded: share it again to upload it from the start`,
          );
        }
        changed(out.recording, member.teamId, 'shared');
        await refreshUsage();
        return out.recording;
      });

      serve(RECORDING_HUB_EVENTS.transcript, async (member, payload): Promise<SharedRecording> => {
        const req = parse(RecordingTranscriptSchema, RECORDING_HUB_EVENTS.transcript, payload);
        const r = await metrics.time(() => recordings.setTranscript(member, req));
        changed(r, member.teamId, 'transcript');
        return r;
      });

      serve(RECORDING_HUB_EVENTS.fetch, async (member, payload): Promise<RecordingFetchResponse> => {
        const req = parse(RecordingFetchSchema, RECORDING_HUB_EVENTS.fetch, payload);
        return metrics.time(() => recordings.fetch(member.teamId, req));
      });

      serve(RECORDING_HUB_EVENTS.get, async (member, payload): Promise<RecordingGetResponse> => {
        const req = parse(RecordingGetSchema, RECORDING_HUB_EVENTS.get, payload);
        return metrics.time(() => recordings.get(member.teamId, req.recordingId));
      });

      serve(RECORDING_HUB_EVENTS.list, async (member, payload): Promise<RecordingListResponse> => {
        const req = parse(RecordingListSchema, RECORDING_HUB_EVENTS.list, payload);
        return { recordings: await metrics.time(() => recordings.list(member.teamId, req.incidentId)) };
      });

      serve(RECORDING_HUB_EVENTS.delete, async (member, payload): Promise<RecordingDeleteResponse> => {
        const req = parse(RecordingDeleteSchema, RECORDING_HUB_EVENTS.delete, payload);
        const r = await metrics.time(() => recordings.remove(member, req.recordingId));
        changed(r.recording, member.teamId, 'deleted');
        await refreshUsage();
        return { recordingId: r.recording.recordingId, freedBytes: r.freedBytes };
      });
    },
    sweep,
    async stop() {
      clearInterval(timer);
      await sweeping?.catch(() => undefined);
    },
  };
}
