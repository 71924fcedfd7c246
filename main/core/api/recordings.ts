import type { z } from 'zod';
import type { ResultOf } from '../../../shared/api/contract.js';
import { recordingSrc, type RECORDING_METHODS, type RecordingInfo, type TranscriptLine } from '../../../shared/api/recordings-methods.js';
import { ConnError } from '../../../shared/domain/errors.js';
import { newId } from '../../../shared/domain/ids.js';
import { refFromId } from '../../../shared/domain/incident-ref.js';
import type { MinutesTranscript } from '../../../shared/reports/minutes.js';
import type { Core } from '../open.js';
import type { LocalRecording } from '../store/recordings.js';
import { loadConnection } from '../sync/connection.js';
import { downloadRecording, getSharedRecording, uploadRecording, type RecordingRoute } from '../sync/recording-transfer.js';
import { pickEngine, type TranscriptionEngine } from '../transcribe/engine.js';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pocketsphinxEngine } from '../transcribe/pocketsphinx.js';
import { whisperCppEngine } from '../transcribe/whisper-cpp.js';

/*
 * Call audio on this device (docs/call-audio.md). The renderer records; these handlers write
 * what it sends to the recording's WAV file (store/recordings.ts), tell the team with
 * recording.started/stopped, and after Stop transcribe it in the background with the first
 * offline engine the machine has. Nothing here talks to the network: a recording leaves the
 * device only when someone shares it.
 */

/** whisper.cpp first where the user configured it (better words); else Debian's pocketsphinx. */
export const ENGINES: readonly TranscriptionEngine[] = [whisperCppEngine(), pocketsphinxEngine()];

interface Live {
  /** The next chunk expected, per recording being written in this process. */
  nextSeq: Map<string, number>;
  /** Transcriptions under way or waiting, so a test (or close) can wait for them. */
  jobs: Set<Promise<void>>;
  /** The last transcription queued: the next starts after it (see transcribeLater). */
  queue: Promise<void>;
  engines: readonly TranscriptionEngine[];
}
const LIVE = new WeakMap<Core, Live>();
function liveOf(core: Core): Live {
  let l = LIVE.get(core);
  if (!l) LIVE.set(core, (l = { nextSeq: new Map(), jobs: new Set(), queue: Promise.resolve(), engines: ENGINES }));
  return l;
}

/** For tests and the bench: transcribe with these engines instead of the machine's. */
export function useEngines(core: Core, engines: readonly TranscriptionEngine[]): void {
  liveOf(core).engines = engines;
}

/** Resolves once every transcription started so far has finished. */
export async function transcriptionsSettled(core: Core): Promise<void> {
  while (liveOf(core).jobs.size > 0) await Promise.all([...liveOf(core).jobs]);
}

export function infoOf(core: Core, r: LocalRecording): RecordingInfo {
  return {
    id: r.id,
    incidentId: r.incidentId,
    callId: r.callId,
    startedAt: r.startedAt,
    bytes: core.recordings.fileBytes(r),
    durationMs: r.durationMs,
    state: r.state,
    transcriptNote: r.transcriptNote,
    shared: r.shared,
    src: recordingSrc(r.id),
  };
}

export function startRecording(core: Core, incidentId: string, callId: string, now = Date.now()): ResultOf<'recordings.start'> {
  const state = core.events.stateOf(incidentId);
  const call = state?.calls.find((c) => c.id === callId);
  if (!call) throw new ConnError('not-found', `no call ${callId} in ${refFromId(incidentId)}`);
  if (call.endedAt !== null) throw new ConnError('conflict', 'that call has ended; start a call to record one');
  const mine = core.recordings.list(incidentId).find((r) => r.callId === callId && r.state === 'recording');
  if (mine) throw new ConnError('conflict', 'this cockpit is already recording that call');
  const id = newId();
  const startedAt = new Date(now).toISOString();
  // The file first: the team is told only about a recording that exists. If the team's rule
  // refuses the event, the empty file goes again.
  const rec = core.recordings.start({ id, incidentId, callId, startedAt });
  let event;
  try {
    event = core.events.appendLocal(incidentId, 'recording.started', { target: callId, recordingId: id, startedAt });
  } catch (err) {
    core.recordings.stop(id);
    core.recordings.delete(id);
    throw err;
  }
  liveOf(core).nextSeq.set(id, 0);
  return { recording: infoOf(core, rec), event };
}

export function appendChunk(core: Core, recordingId: string, seq: number, base64: string): ResultOf<'recordings.chunk'> {
  const live = liveOf(core);
  const expected = live.nextSeq.get(recordingId) ?? seq;
  const rec = core.recordings.require(recordingId);
  // A chunk resent after a lost answer is already on disk: say so without writing it twice.
  if (seq < expected) return { bytes: rec.bytes, durationMs: rec.durationMs };
  if (seq > expected) throw new ConnError('conflict', `chunk ${seq} of the recording came before chunk ${expected}; the audio between is missing`);
  const pcm = Buffer.from(base64, 'base64');
  const after = core.recordings.append(recordingId, pcm);
  live.nextSeq.set(recordingId, seq + 1);
  return { bytes: after.bytes, durationMs: after.durationMs };
}

export function stopRecording(core: Core, recordingId: string): ResultOf<'recordings.stop'> {
  const rec = core.recordings.stop(recordingId);
  liveOf(core).nextSeq.delete(recordingId);
  const event = core.events.appendLocal(rec.incidentId, 'recording.stopped', { target: rec.callId, recordingId, durationMs: rec.durationMs, bytes: core.recordings.fileBytes(rec) });
  transcribeLater(core, recordingId);
  return { recording: infoOf(core, core.recordings.require(recordingId)), event };
}

/**
 * Queues the transcript in the background: the engine is another process, so the core keeps
 * answering. One transcription at a time: an engine takes a core of its own for about half the
 * length of the call, and two at once on a 2-core laptop in an incident would starve the
 * cockpit. A queued recording shows as "waiting to transcribe" (state 'stopped').
 */
export function transcribeLater(core: Core, recordingId: string): void {
  const live = liveOf(core);
  const job = live.queue
    .then(() => transcribe(core, recordingId))
    .catch(() => undefined)
    .finally(() => live.jobs.delete(job));
  live.queue = job;
  live.jobs.add(job);
}

async function transcribe(core: Core, recordingId: string): Promise<void> {
  const rec = core.recordings.require(recordingId);
  const changed = () => core.bus.emit({ type: 'incident-changed', incidentId: rec.incidentId });
  const picked = await pickEngine(liveOf(core).engines);
  if ('why' in picked) {
    core.recordings.setState(recordingId, 'no-transcript', `No transcript: ${picked.why}`);
    changed();
    return;
  }
  core.recordings.setState(recordingId, 'transcribing');
  changed();
  try {
    const segments = await picked.engine.transcribe(rec.file);
    // The recording may have been deleted while the engine ran: then there is nothing to keep.
    if (!core.recordings.get(recordingId)) return;
    core.recordings.saveTranscript(recordingId, segments, redactedStarts(core, rec.incidentId, recordingId));
  } catch (err) {
    if (!core.recordings.get(recordingId)) return;
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    core.recordings.setState(recordingId, 'no-transcript', `No transcript: ${picked.engine.name} failed (${why}).`);
  }
  changed();
}

function redactedStarts(core: Core, incidentId: string, recordingId: string): Set<number> {
  const state = core.events.stateOf(incidentId);
  return new Set((state?.transcriptRedactions ?? []).filter((r) => r.recordingId === recordingId).map((r) => r.startMs));
}

/**
 * Applies the team's transcript redactions to the transcripts this device holds: on every
 * change of an incident, whoever wrote the redaction (this cockpit, or a teammate through sync).
 */
export function applyTranscriptRedactions(core: Core, incidentId: string): number {
  const mine = core.recordings.list(incidentId);
  if (mine.length === 0) return 0;
  const ids = new Set(mine.map((r) => r.id));
  let n = 0;
  for (const r of core.events.stateOf(incidentId)?.transcriptRedactions ?? []) {
    if (ids.has(r.recordingId) && core.recordings.redactSegment(r.recordingId, r.startMs)) n += 1;
  }
  return n;
}

/** A cockpit's recordings service: redactions followed, recordings pruned on open and daily. */
export function attachRecordings(core: Core, opts: { recover: boolean }): void {
  const off = core.bus.onType('incident-changed', (n) => void applyTranscriptRedactions(core, n.incidentId));
  core.onClose(off);
  if (opts.recover) recoverRecordings(core);
  core.recordings.prune();
  const daily = setInterval(() => core.recordings.prune(), 86_400_000);
  daily.unref();
  core.onClose(() => clearInterval(daily));
}

/**
 * Recordings a crash (or a kill) left running: the file keeps everything written up to the last
 * chunk; it is closed, the team told it stopped, and it is transcribed. Only a long-running host
 * does this, at start: a CLI command must not stop the app's recording under it.
 */
export function recoverRecordings(core: Core): string[] {
  const out: string[] = [];
  for (const r of core.recordings.running()) {
    const stopped = core.recordings.stop(r.id);
    try {
      core.events.appendLocal(r.incidentId, 'recording.stopped', { target: r.callId, recordingId: r.id, durationMs: stopped.durationMs, bytes: core.recordings.fileBytes(stopped) });
    } catch {
      // The team's rule refused (someone else's recording?): the file is still kept here.
    }
    transcribeLater(core, r.id);
    out.push(r.id);
  }
  return out;
}

export async function listRecordings(core: Core, incidentId: string | undefined): Promise<ResultOf<'recordings.list'>> {
  const picked = await pickEngine(liveOf(core).engines);
  return {
    recordings: core.recordings.list(incidentId).map((r) => infoOf(core, r)),
    retentionDays: core.recordings.retentionDays(),
    engine: 'engine' in picked ? picked.engine.name : null,
    noEngine: 'why' in picked ? `No transcripts: ${picked.why}` : null,
  };
}

export function deleteRecording(core: Core, recordingId: string): ResultOf<'recordings.delete'> {
  const rec = core.recordings.delete(recordingId);
  core.bus.emit({ type: 'incident-changed', incidentId: rec.incidentId });
  return { deleted: recordingId };
}

export function transcriptLines(core: Core, p: { incidentId: string; callId?: string | undefined; recordingId?: string | undefined; search?: string | undefined }): TranscriptLine[] {
  const words = p.search?.toLowerCase().split(/\s+/).filter(Boolean) ?? [];
  const out: TranscriptLine[] = [];
  for (const r of core.recordings.list(p.incidentId)) {
    if (p.callId !== undefined && r.callId !== p.callId) continue;
    if (p.recordingId !== undefined && r.id !== p.recordingId) continue;
    const start = Date.parse(r.startedAt);
    for (const s of core.recordings.segments(r.id)) {
      if (words.length && (s.redacted || !words.every((w) => s.text.toLowerCase().includes(w)))) continue;
      out.push({ recordingId: r.id, callId: r.callId, startMs: s.startMs, endMs: s.endMs, at: new Date(start + s.startMs).toISOString(), text: s.redacted ? '' : s.text, redacted: s.redacted });
    }
  }
  return out;
}

/** The transcripts of a call this device holds, redacted segments left out: what the minutes quote. */
export function callTranscripts(core: Core, incidentId: string, callId: string): MinutesTranscript[] {
  return core.recordings
    .list(incidentId)
    .filter((r) => r.callId === callId && r.state === 'transcribed')
    .map((r) => ({ recordingId: r.id, startedAt: r.startedAt, segments: core.recordings.segments(r.id).filter((s) => !s.redacted).map(({ startMs, endMs, text }) => ({ startMs, endMs, text })) }));
}

export function redactTranscript(core: Core, p: { incidentId: string; recordingId: string; startMs: number; reason: string }): ResultOf<'transcript.redact'> {
  const rec = core.events.stateOf(p.incidentId)?.recordings.find((r) => r.id === p.recordingId);
  if (!rec) throw new ConnError('not-found', `no recording ${p.recordingId} in ${refFromId(p.incidentId)}`);
  const local = core.recordings.get(p.recordingId);
  if (local && !core.recordings.segments(p.recordingId).some((s) => s.startMs === p.startMs)) {
    throw new ConnError('not-found', `the transcript has no segment starting at ${p.startMs} ms; \`conn transcript ${refFromId(p.incidentId)}\` lists them`);
  }
  const event = core.events.appendLocal(p.incidentId, 'transcript.redacted', { recordingId: p.recordingId, startMs: p.startMs, reason: p.reason });
  applyTranscriptRedactions(core, p.incidentId);
  return { event };
}

/**
 * The saved connection when there is one (its own socket, so a long upload never queues behind
 * the engine's pushes); else the running connection, as in the desktop app, whose token lives in
 * the OS keychain rather than in the data dir.
 */
function hubOf(core: Core): RecordingRoute {
  const conn = loadConnection(core);
  if (conn) return conn;
  const live = core.sync.control?.hubRequest() ?? null;
  if (live) return { url: 'the hub this cockpit syncs with', get ready() { return core.sync.control?.hubRequest() != null; }, request: live };
  throw new ConnError('unavailable', 'sharing recordings needs the team\'s hub: connect with `conn connect HUB_URL --token TOKEN` (or from the app), then share again');
}

/** The hub keeps segments of at most 2 000 characters: longer ones (rare) are cut there. */
const HUB_SEGMENT_CHARS = 2000;

/**
 * Share: the upload first (resumable; a cut rejects and Share again resumes), then
 * recording.shared, so the team is told only of a recording the hub holds. The transcript rides
 * along without its redacted segments.
 */
export async function shareRecording(core: Core, recordingId: string): Promise<ResultOf<'recordings.share'>> {
  const rec = core.recordings.require(recordingId);
  if (rec.state === 'recording') throw new ConnError('conflict', 'stop the recording before sharing it');
  const transcript = core.recordings
    .segments(recordingId)
    .filter((s) => !s.redacted)
    .map((s) => ({ startMs: s.startMs, endMs: s.endMs, text: s.text.slice(0, HUB_SEGMENT_CHARS) }));
  await uploadRecording(hubOf(core), rec.file, {
    recordingId,
    incidentId: rec.incidentId,
    callId: rec.callId,
    mime: 'audio/wav',
    durationMs: rec.durationMs,
    ...(transcript.length ? { transcript } : {}),
  });
  const event = core.events.appendLocal(rec.incidentId, 'recording.shared', { target: rec.callId, recordingId, durationMs: rec.durationMs, bytes: core.recordings.fileBytes(rec) });
  core.recordings.markShared(recordingId);
  return { recording: infoOf(core, core.recordings.require(recordingId)), event };
}

/** A teammate's shared recording, brought here on first play; its transcript comes with it. */
export async function fetchRecording(core: Core, incidentId: string, recordingId: string): Promise<ResultOf<'recordings.fetch'>> {
  const local = core.recordings.get(recordingId);
  if (local) return { recording: infoOf(core, local) };
  const known = core.events.stateOf(incidentId)?.recordings.find((r) => r.id === recordingId);
  if (!known?.shared) throw new ConnError('not-found', 'that recording has not been shared with the team; ask whoever recorded it to share it');
  const conn = hubOf(core);
  mkdirSync(core.recordings.dir, { recursive: true });
  await downloadRecording(conn, recordingId, path.join(core.recordings.dir, `${recordingId}.wav`));
  const rec = core.recordings.adopt({ id: recordingId, incidentId, callId: known.callId, startedAt: known.startedAt });
  const shared = await getSharedRecording(conn, recordingId).catch(() => null);
  const segments = (shared?.transcript ?? []).filter((s) => s.text.trim() !== '');
  if (segments.length) core.recordings.saveTranscript(recordingId, segments, redactedStarts(core, incidentId, recordingId));
  else core.recordings.setState(recordingId, 'no-transcript', 'No transcript: none was shared with this recording.');
  core.bus.emit({ type: 'incident-changed', incidentId });
  return { recording: infoOf(core, core.recordings.require(rec.id)) };
}

type RecordingMethod = keyof typeof RECORDING_METHODS;

/** Spread into the core's handler map (handlers.ts). */
export const RECORDING_HANDLERS: {
  [M in RecordingMethod]: (core: Core, params: z.output<(typeof RECORDING_METHODS)[M]>) => ResultOf<M> | Promise<ResultOf<M>>;
} = {
  'recordings.start': (core, p) => startRecording(core, p.incidentId, p.callId),
  'recordings.chunk': (core, p) => appendChunk(core, p.recordingId, p.seq, p.pcm),
  'recordings.stop': (core, p) => stopRecording(core, p.recordingId),
  'recordings.list': (core, p) => listRecordings(core, p.incidentId),
  'recordings.delete': (core, p) => deleteRecording(core, p.recordingId),
  'recordings.retention': (core, p) => {
    const days = p.days === undefined ? core.recordings.retentionDays() : core.recordings.setRetentionDays(p.days);
    const pruned = p.days === undefined ? [] : core.recordings.prune();
    return { days, pruned: pruned.length };
  },
  'transcript.get': (core, p) => ({ lines: transcriptLines(core, p) }),
  'transcript.redact': (core, p) => redactTranscript(core, p),
  'recordings.share': (core, p) => shareRecording(core, p.recordingId),
  'recordings.fetch': (core, p) => fetchRecording(core, p.incidentId, p.recordingId),
};
