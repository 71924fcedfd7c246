import { createHash } from 'node:crypto';
import { ConnError } from '../../shared/domain/errors.js';
import { RECORDING_LIMITS, type Transcript } from '../../shared/sync/recording-protocol.js';
import type { Member } from '../store/store.js';
import { toSharedRecording, type RecordingBackend, type RecordingRow, type RecordingStore, type RecordingTx } from './recording-store.js';

/*
 * The rules of shared recordings, the same on both stores: who may write, where the next chunk
 * must start, what the team's quota allows, and the digest that ends an upload. Every write
 * runs in the backend's write transaction, so a refusal (thrown) leaves nothing behind.
 */

/** How much of a recording is read at once to digest it: the whole file never sits in memory. */
const DIGEST_PAGE_BYTES = 8 * 1024 * 1024;

/** A size as people read it: "562.5 KiB", "1.0 MiB", "2.00 GiB". */
function size(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(2)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

function missing(member: Member, id: string): ConnError {
  return new ConnError('not-found', `team "${member.team}" has no shared recording ${id}: it was never offered, was deleted, or passed the hub's retention`);
}

async function found(tx: RecordingTx, member: Member, id: string): Promise<RecordingRow> {
  const row = await tx.recording(member.teamId, id);
  if (!row) throw missing(member, id);
  return row;
}

/** Only the member who offered a recording sends its bytes: they come from that cockpit's file. */
function mustBeUploader(member: Member, row: RecordingRow): void {
  if (row.uploaderId !== member.id) {
    throw new ConnError('forbidden', `recording ${row.id} is being shared by ${row.uploader}; only ${row.uploader}'s cockpit can upload or complete it`);
  }
}

/** Transcripts and deletion: the uploader, or an admin of the team (who looks after its hub space). */
function mustBeUploaderOrAdmin(member: Member, row: RecordingRow, what: string): void {
  if (row.uploaderId !== member.id && member.role !== 'admin') {
    throw new ConnError('forbidden', `only ${row.uploader} (who shared recording ${row.id}) or an admin of team "${member.team}" may ${what} it, and ${member.name} is a ${member.role}`);
  }
}

/** A transcript must fit inside the recording it describes (with RECORDING_LIMITS.segmentSlackMs for rounding). */
function checkTranscriptFits(row: RecordingRow, t: Transcript): void {
  const limit = row.durationMs + RECORDING_LIMITS.segmentSlackMs;
  const late = t.findIndex((s) => s.endMs > limit);
  if (late >= 0) {
    throw new ConnError('invalid-input', `transcript segment ${late + 1} ends at ${t[late]!.endMs} ms, past the end of the ${row.durationMs} ms recording: nothing was stored`);
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

const progress = (r: RecordingRow) => ({ recordingId: r.id, received: r.received, totalBytes: r.totalBytes, complete: r.complete });

async function digest(tx: RecordingTx, row: RecordingRow): Promise<string> {
  const hash = createHash('sha256');
  for (let from = 0; from < row.received; from += DIGEST_PAGE_BYTES) {
    for (const c of await tx.chunks(row.teamId, row.id, from, Math.min(from + DIGEST_PAGE_BYTES, row.received))) {
      // Chunks are stored in order with no gap, so each page's chunks start inside the page.
      if (c.start >= from) hash.update(c.bytes);
    }
  }
  return hash.digest('hex');
}

export function recordingStore(backend: RecordingBackend): RecordingStore {
  return {
    offer: (member, offer, quotaBytes, now) =>
      backend.write(member.teamId, async (tx) => {
        if (member.role === 'viewer') throw new ConnError('forbidden', `${member.name} is a viewer in team "${member.team}" and cannot share recordings`);
        const row = await tx.recording(member.teamId, offer.recordingId);
        if (row) {
          mustBeUploader(member, row);
          const same = row.incidentId === offer.incidentId && row.callId === offer.callId && row.totalBytes === offer.totalBytes && row.mime === offer.mime && row.durationMs === offer.durationMs;
          if (!same) {
            throw new ConnError('conflict', `recording ${row.id} was offered before as ${row.totalBytes} bytes of ${row.mime} for call ${row.callId}; this offer differs, so it is not the same file: share it under a new recording id`);
          }
          return progress(row);
        }
        const usage = await tx.teamUsage(member.teamId);
        if (usage.count >= RECORDING_LIMITS.teamRecordings) {
          throw new ConnError('too-large', `team "${member.team}" already keeps ${usage.count} recordings on the hub, the most it may: delete old ones first`);
        }
        if (usage.bytes + offer.totalBytes > quotaBytes) {
          throw new ConnError(
            'too-large',
            `this ${size(offer.totalBytes)} recording does not fit team "${member.team}"'s recording quota on the hub (${size(usage.bytes)} of ${size(quotaBytes)} in use): delete old recordings or ask the hub's operator to raise --recording-quota; nothing was stored`,
          );
        }
        const created: RecordingRow = {
          teamId: member.teamId,
          id: offer.recordingId,
          incidentId: offer.incidentId,
          callId: offer.callId,
          uploaderId: member.id,
          uploader: member.name,
          mime: offer.mime,
          durationMs: offer.durationMs,
          totalBytes: offer.totalBytes,
          received: 0,
          complete: false,
          sha256: null,
          transcriptSegments: 0,
          createdAt: now,
          completedAt: null,
        };
        await tx.insert(created);
        return progress(created);
      }),

    chunk: (member, chunk, quotaBytes) =>
      backend.write(member.teamId, async (tx) => {
        const row = await found(tx, member, chunk.recordingId);
        mustBeUploader(member, row);
        const end = chunk.offset + chunk.bytes.byteLength;
        if (end > row.totalBytes) {
          throw new ConnError('invalid-input', `this chunk ends at byte ${end}, past the ${row.totalBytes} bytes recording ${row.id} was offered with: nothing was stored`);
        }
        if (chunk.offset !== row.received || row.complete) {
          // A resend of a chunk the hub already stored (its ack was lost): the same answer again.
          const stored = chunk.offset < row.received ? await tx.chunkAt(row.teamId, row.id, chunk.offset) : undefined;
          if (stored && sameBytes(stored, chunk.bytes)) return { ...progress(row), stored: 0 };
          if (row.complete) throw new ConnError('conflict', `recording ${row.id} is complete on the hub and this chunk differs from its bytes: nothing was stored`);
          throw new ConnError('conflict', `the hub has bytes 0-${row.received} of recording ${row.id} and this chunk starts at byte ${chunk.offset}: offer it again and resume from byte ${row.received}`);
        }
        const usage = await tx.teamUsage(member.teamId);
        if (usage.bytes + chunk.bytes.byteLength > quotaBytes) {
          throw new ConnError(
            'too-large',
            `team "${member.team}"'s shared recordings would pass its ${size(quotaBytes)} quota on the hub (${size(usage.bytes)} in use): nothing of this chunk was stored; delete old recordings or ask the hub's operator to raise --recording-quota`,
          );
        }
        await tx.append(row.teamId, row.id, chunk.offset, chunk.bytes);
        return { ...progress({ ...row, received: end }), stored: chunk.bytes.byteLength };
      }),

    complete: (member, req, now) =>
      backend.write(member.teamId, async (tx) => {
        const row = await found(tx, member, req.recordingId);
        mustBeUploader(member, row);
        if (req.transcript) checkTranscriptFits(row, req.transcript);
        if (row.complete) {
          if (row.sha256 !== req.sha256) throw new ConnError('conflict', `recording ${row.id} is complete on the hub with another digest (${row.sha256}): this is not the same file`);
        } else {
          if (row.received < row.totalBytes) {
            throw new ConnError('conflict', `the hub has ${row.received} of the ${row.totalBytes} bytes of recording ${row.id}: send the rest before completing it`);
          }
          const hubSha256 = await digest(tx, row);
          if (hubSha256 !== req.sha256) {
            // Don't throw here: the discard must commit, so the next upload starts clean.
            await tx.discardBytes(row.teamId, row.id);
            return { mismatch: { recording: toSharedRecording({ ...row, received: 0 }), hubSha256 } };
          }
          await tx.markComplete(row.teamId, row.id, req.sha256, now);
        }
        if (req.transcript) await tx.setTranscript(row.teamId, row.id, req.transcript);
        return { recording: toSharedRecording((await tx.recording(row.teamId, row.id))!) };
      }),

    setTranscript: (member, req) =>
      backend.write(member.teamId, async (tx) => {
        const row = await found(tx, member, req.recordingId);
        mustBeUploaderOrAdmin(member, row, 'set the transcript of');
        checkTranscriptFits(row, req.transcript);
        await tx.setTranscript(row.teamId, row.id, req.transcript);
        return toSharedRecording({ ...row, transcriptSegments: req.transcript.length });
      }),

    fetch: (teamId, req) =>
      backend.read(async (tx) => {
        const row = await tx.recording(teamId, req.recordingId);
        if (!row) throw new ConnError('not-found', `the team has no shared recording ${req.recordingId}: it was never shared, was deleted, or passed the hub's retention`);
        if (!row.complete || row.sha256 === null) {
          throw new ConnError('conflict', `recording ${row.id} is still being uploaded by ${row.uploader} (${row.received} of ${row.totalBytes} bytes): it can be played once complete`);
        }
        if (req.offset >= row.totalBytes) throw new ConnError('invalid-input', `recording ${row.id} has ${row.totalBytes} bytes, so there is nothing at byte ${req.offset}`);
        const to = Math.min(row.totalBytes, req.offset + req.length);
        const out = Buffer.alloc(to - req.offset);
        for (const c of await tx.chunks(teamId, row.id, req.offset, to)) {
          // Copy the part of each chunk that lies inside [offset, to).
          const from = Math.max(req.offset, c.start);
          const until = Math.min(to, c.start + c.bytes.byteLength);
          out.set(c.bytes.subarray(from - c.start, until - c.start), from - req.offset);
        }
        return { recordingId: row.id, offset: req.offset, bytes: out, totalBytes: row.totalBytes, sha256: row.sha256 };
      }),

    get: (teamId, recordingId) =>
      backend.read(async (tx) => {
        const row = await tx.recording(teamId, recordingId);
        if (!row) throw new ConnError('not-found', `the team has no shared recording ${recordingId}: it was never shared, was deleted, or passed the hub's retention`);
        return { recording: toSharedRecording(row), transcript: await tx.transcript(teamId, recordingId) };
      }),

    list: (teamId, incidentId) => backend.read(async (tx) => (await tx.list(teamId, incidentId, RECORDING_LIMITS.listRecordings)).map(toSharedRecording)),

    remove: (member, recordingId) =>
      backend.write(member.teamId, async (tx) => {
        const row = await found(tx, member, recordingId);
        mustBeUploaderOrAdmin(member, row, 'delete');
        await tx.remove(row.teamId, row.id);
        return { recording: toSharedRecording(row), freedBytes: row.received };
      }),

    sweep: (cutoff) => backend.sweep(cutoff),
    usage: () => backend.usage(),
  };
}
