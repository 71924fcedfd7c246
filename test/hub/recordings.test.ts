import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConnError } from '../../shared/domain/errors.js';
import { newId } from '../../shared/domain/ids.js';
import type { MemberRole } from '../../shared/sync/protocol.js';
import { RECORDING_HUB_EVENTS, RECORDING_LIMITS, type RecordingChanged } from '../../shared/sync/recording-protocol.js';
import { createHub, type Hub } from '../../server/hub/hub.js';
import type { RecordingOptions } from '../../server/recordings/recording-share.js';
import { dropPostgresSchema, openPostgresStore } from '../../server/store/postgres.js';
import { openSqliteStore } from '../../server/store/sqlite.js';
import type { HubStore } from '../../server/store/store.js';
import type { HubConnection } from '../../main/core/sync/connection.js';
import {
  deleteSharedRecording,
  downloadRecording,
  getSharedRecording,
  listSharedRecordings,
  partialDownloadPath,
  shareTranscript,
  uploadRecording,
  type UploadMeta,
} from '../../main/core/sync/recording-transfer.js';
import { client } from './hub-fixture.js';
import { PG } from './postgres-nodes.js';

/*
 * Shared call recordings through a real hub on loopback, on each store (a SQLite file, a fresh
 * Postgres schema), with the cockpit's own client (main/core/sync/recording-transfer.ts) and,
 * for what a well-behaved client never sends, a raw socket. Every case asserts what a teammate
 * would notice: the bytes they play back, what the hub keeps and counts, and the sentence a
 * refusal gives.
 */

const CHUNK = RECORDING_LIMITS.chunkBytes;
const work = mkdtempSync(path.join(tmpdir(), 'conn-recordings-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A 16 kHz mono 16-bit PCM WAV of `samples` samples of noise: every chunk's bytes differ. */
function wav(samples: number): Buffer {
  const data = randomBytes(samples * 2);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0);
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVEfmt ', 8);
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(1, 22); // mono
  h.writeUInt32LE(16_000, 24);
  h.writeUInt32LE(32_000, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36);
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

interface Recorded {
  file: string;
  bytes: Buffer;
  meta: UploadMeta;
}

function recording(seconds: number, incidentId = newId()): Recorded {
  const bytes = wav(seconds * 16_000);
  const file = path.join(work, `${newId()}.wav`);
  writeFileSync(file, bytes);
  return { file, bytes, meta: { recordingId: newId(), incidentId, callId: newId(), mime: 'audio/wav', durationMs: seconds * 1000 } };
}

/** A hub on one store that can be stopped and started again on the same store and port. */
interface Running {
  hub: Hub;
  store: HubStore;
  invite(team: string, name: string, role?: MemberRole): Promise<HubConnection>;
  restart(): Promise<void>;
  dispose(): Promise<void>;
}

type Kind = 'SQLite' | 'Postgres';
let clock = 0;
const now = () => Date.now() + clock;

async function start(kind: Kind, recordings: Partial<RecordingOptions> = {}): Promise<Running> {
  const dir = mkdtempSync(path.join(work, 'hub-'));
  const schema = `conn_rec_${randomBytes(4).toString('hex')}`;
  const open = async () => (kind === 'SQLite' ? openSqliteStore(dir) : openPostgresStore({ url: PG, schema, poolSize: 4 }));
  let store = await open();
  let hub = await createHub({ store, now, recordings, delivery: false });
  const r: Running = {
    get hub() {
      return hub;
    },
    get store() {
      return store;
    },
    invite: async (team, name, role = 'member') => ({ url: hub.url, token: (await store.invite(team, name, role)).token }),
    async restart() {
      const port = hub.port;
      await hub.close();
      store = await open();
      hub = await createHub({ store, now, recordings, delivery: false, port });
    },
    async dispose() {
      await hub.close();
      if (kind === 'Postgres') await dropPostgresSchema(PG, schema);
    },
  };
  return r;
}

/** The error a promise rejects with, for asserting its code and sentence. */
async function failure(p: Promise<unknown>): Promise<ConnError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ConnError) return err;
    throw err;
  }
  throw new Error('expected a refusal, and it succeeded');
}

/** A raw protocol request; resolves with the ack, failures included. */
async function raw(s: Socket, name: string, payload: unknown): Promise<Record<string, unknown> & { error?: { code: string; message: string } }> {
  return (await s.timeout(10_000).emitWithAck(name, payload)) as Record<string, unknown> & { error?: { code: string; message: string } };
}

describe.each<Kind>(['SQLite', 'Postgres'])('shared recordings on %s', (kind) => {
  let h: Running;
  let alice: HubConnection;
  let bob: HubConnection;
  let vera: HubConnection;
  let carol: HubConnection;
  let mallory: HubConnection;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    h = await start(kind);
    alice = await h.invite('payments', 'Alice', 'admin');
    bob = await h.invite('payments', 'Bob');
    carol = await h.invite('payments', 'Carol');
    vera = await h.invite('payments', 'Vera', 'viewer');
    mallory = await h.invite('search', 'Mallory', 'admin');
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.close();
    clock = 0;
  });
  afterAll(async () => {
    await h.dispose();
  });

  const socketOf = async (c: HubConnection) => {
    const s = await client(h.hub.url, c.token);
    sockets.push(s);
    return s;
  };
  const usage = async (team: string) => (await h.store.recordings.usage()).find((u) => u.team === team)?.bytes ?? 0;

  it('uploads a multi-chunk recording that a teammate downloads byte for byte, with its transcript', async () => {
    const r = recording(20); // 640 KB: three chunks
    const transcript = [{ startMs: 1200, endMs: 3400, text: 'roll back the deploy' }];
    const seen: number[] = [];
    const shared = await uploadRecording(bob, r.file, { ...r.meta, transcript }, { onProgress: (done) => seen.push(done) });
    expect(shared).toMatchObject({ recordingId: r.meta.recordingId, uploader: 'Bob', complete: true, totalBytes: r.bytes.length, received: r.bytes.length, sha256: sha(r.bytes), transcriptSegments: 1 });
    expect(seen).toEqual([0, CHUNK, 2 * CHUNK, r.bytes.length]);

    const list = await listSharedRecordings(alice, r.meta.incidentId);
    expect(list.map((x) => [x.recordingId, x.callId, x.uploader, x.durationMs, x.complete])).toEqual([[r.meta.recordingId, r.meta.callId, 'Bob', 20_000, true]]);
    expect((await getSharedRecording(vera, r.meta.recordingId)).transcript).toEqual(transcript);

    const out = path.join(work, `${newId()}.wav`);
    const got = await downloadRecording(vera, r.meta.recordingId, out);
    expect(got).toMatchObject({ bytes: r.bytes.length, sha256: sha(r.bytes) });
    expect(readFileSync(out).equals(r.bytes)).toBe(true);
    // The partial file went with the rename.
    expect(readdirSync(path.dirname(out)).filter((f) => f.includes(path.basename(out)) && f.endsWith('.partial'))).toEqual([]);
  });

  it('resumes an upload cut mid-way: the hub keeps what it had, and every byte is stored once', async () => {
    const r = recording(40); // 1.28 MB: five chunks
    const uploadedBefore = h.hub.metrics.recordingBytesUploaded;
    const usageBefore = await usage('payments');
    let cut = false;
    const first = await failure(
      uploadRecording(bob, r.file, r.meta, {
        onProgress: (done) => {
          // After the second chunk's ack the hub drops every connection, as a network cut would.
          if (done === 2 * CHUNK && !cut) {
            cut = true;
            h.hub.io.local.disconnectSockets(true);
          }
        },
      }),
    );
    expect(first.code).toBe('unavailable');
    expect(first.message).toMatch(/share it again when the hub is back/);
    const [halfway] = await listSharedRecordings(alice, r.meta.incidentId);
    expect(halfway).toMatchObject({ received: 2 * CHUNK, complete: false });
    // A teammate cannot play half a recording.
    expect((await failure(downloadRecording(alice, r.meta.recordingId, path.join(work, 'half.wav')))).message).toMatch(/still being uploaded by Bob \(524288 of 1280044 bytes\)/);

    const seen: number[] = [];
    const shared = await uploadRecording(bob, r.file, r.meta, { onProgress: (done) => seen.push(done) });
    expect(seen[0]).toBe(2 * CHUNK); // resumed, not restarted
    expect(shared.sha256).toBe(sha(r.bytes));
    const out = path.join(work, `${newId()}.wav`);
    await downloadRecording(alice, r.meta.recordingId, out);
    expect(readFileSync(out).equals(r.bytes)).toBe(true);
    expect(h.hub.metrics.recordingBytesUploaded - uploadedBefore).toBe(r.bytes.length);
    expect((await usage('payments')) - usageBefore).toBe(r.bytes.length);
  });

  it('stores a resent chunk once (its ack was lost) and refuses a chunk at any other offset', async () => {
    const r = recording(20);
    const s = await socketOf(bob);
    expect(await raw(s, RECORDING_HUB_EVENTS.offer, { ...r.meta, totalBytes: r.bytes.length })).toEqual({ recordingId: r.meta.recordingId, received: 0, totalBytes: r.bytes.length, complete: false });
    const first = { recordingId: r.meta.recordingId, offset: 0, bytes: r.bytes.subarray(0, CHUNK) };
    expect(await raw(s, RECORDING_HUB_EVENTS.chunk, first)).toMatchObject({ received: CHUNK });
    const before = await usage('payments');
    expect(await raw(s, RECORDING_HUB_EVENTS.chunk, first)).toMatchObject({ received: CHUNK });
    expect(await usage('payments')).toBe(before);
    // The same offset with other bytes is not a resend.
    expect((await raw(s, RECORDING_HUB_EVENTS.chunk, { ...first, bytes: r.bytes.subarray(1, CHUNK + 1) })).error).toEqual({
      code: 'conflict',
      message: `the hub has bytes 0-${CHUNK} of recording ${r.meta.recordingId} and this chunk starts at byte 0: offer it again and resume from byte ${CHUNK}`,
    });
    // A gap is refused: chunks go in order.
    expect((await raw(s, RECORDING_HUB_EVENTS.chunk, { recordingId: r.meta.recordingId, offset: 2 * CHUNK, bytes: r.bytes.subarray(2 * CHUNK) })).error?.code).toBe('conflict');
    expect(await usage('payments')).toBe(before);
    // The client's own resync finishes it.
    expect((await uploadRecording(bob, r.file, r.meta)).complete).toBe(true);
  });

  it('resumes an upload after the hub restarts in the middle of it', async () => {
    const r = recording(40);
    let restarting: Promise<void> | undefined;
    const first = await failure(
      uploadRecording(carol, r.file, r.meta, {
        onProgress: (done) => {
          if (done === 3 * CHUNK && !restarting) restarting = h.restart();
        },
      }),
    );
    expect(first.code).toBe('unavailable');
    await restarting;
    const [there] = await listSharedRecordings(carol, r.meta.incidentId);
    expect(there?.received).toBe(3 * CHUNK);
    const seen: number[] = [];
    expect((await uploadRecording(carol, r.file, r.meta, { onProgress: (d) => seen.push(d) })).sha256).toBe(sha(r.bytes));
    expect(seen[0]).toBe(3 * CHUNK);
    const out = path.join(work, `${newId()}.wav`);
    await downloadRecording(bob, r.meta.recordingId, out);
    expect(readFileSync(out).equals(r.bytes)).toBe(true);
  });

  it('resumes a download cut mid-way from its partial file', async () => {
    const r = recording(80); // 2.56 MB: three fetches of 1 MiB
    await uploadRecording(bob, r.file, r.meta);
    const out = path.join(work, `${newId()}.wav`);
    let cut = false;
    const first = await failure(
      downloadRecording(alice, r.meta.recordingId, out, {
        onProgress: (done) => {
          if (done === RECORDING_LIMITS.fetchBytes && !cut) {
            cut = true;
            h.hub.io.local.disconnectSockets(true);
          }
        },
      }),
    );
    expect(first.code).toBe('unavailable');
    expect(existsSync(out)).toBe(false);
    expect(readFileSync(partialDownloadPath(out, sha(r.bytes))).length).toBe(RECORDING_LIMITS.fetchBytes);
    const seen: number[] = [];
    await downloadRecording(alice, r.meta.recordingId, out, { onProgress: (d) => seen.push(d) });
    expect(seen[0]).toBe(RECORDING_LIMITS.fetchBytes);
    expect(readFileSync(out).equals(r.bytes)).toBe(true);
  });

  it('reads any byte range back exactly, across chunk boundaries and cut at the end', async () => {
    const r = recording(20);
    await uploadRecording(bob, r.file, r.meta);
    const s = await socketOf(vera);
    const range = async (offset: number, length: number) => {
      const ack = await raw(s, RECORDING_HUB_EVENTS.fetch, { recordingId: r.meta.recordingId, offset, length });
      expect(ack.error).toBeUndefined();
      return Buffer.from(ack['bytes'] as Buffer);
    };
    expect((await range(0, 44)).equals(r.bytes.subarray(0, 44))).toBe(true);
    expect((await range(CHUNK - 100, 300)).equals(r.bytes.subarray(CHUNK - 100, CHUNK + 200))).toBe(true);
    expect((await range(1000, 2 * CHUNK)).equals(r.bytes.subarray(1000, 1000 + 2 * CHUNK))).toBe(true);
    expect((await range(r.bytes.length - 10, 1000)).equals(r.bytes.subarray(r.bytes.length - 10))).toBe(true);
    expect((await raw(s, RECORDING_HUB_EVENTS.fetch, { recordingId: r.meta.recordingId, offset: r.bytes.length, length: 10 })).error).toEqual({
      code: 'invalid-input',
      message: `recording ${r.meta.recordingId} has ${r.bytes.length} bytes, so there is nothing at byte ${r.bytes.length}`,
    });
  });

  it('serves a recording to its own team only; a viewer plays it but cannot share; only the uploader or an admin deletes', async () => {
    const r = recording(5);
    await uploadRecording(bob, r.file, r.meta);
    const other = await failure(downloadRecording(mallory, r.meta.recordingId, path.join(work, 'stolen.wav')));
    expect(other.code).toBe('not-found');
    expect(other.message).toBe(`the team has no shared recording ${r.meta.recordingId}: it was never shared, was deleted, or passed the hub's retention`);
    expect(await listSharedRecordings(mallory, r.meta.incidentId)).toEqual([]);
    expect((await failure(deleteSharedRecording(mallory, r.meta.recordingId))).code).toBe('not-found');
    // Mallory's own recording under the same id lives in her team, and Bob's is untouched.
    const m = recording(1, r.meta.incidentId);
    writeFileSync(m.file, m.bytes);
    await uploadRecording(mallory, m.file, { ...m.meta, recordingId: r.meta.recordingId });
    expect((await getSharedRecording(bob, r.meta.recordingId)).recording.sha256).toBe(sha(r.bytes));

    const v = recording(1);
    expect(await failure(uploadRecording(vera, v.file, v.meta))).toMatchObject({ code: 'forbidden', message: 'Vera is a viewer in team "payments" and cannot share recordings' });
    expect(await failure(uploadRecording(carol, r.file, r.meta))).toMatchObject({
      code: 'forbidden',
      message: `recording ${r.meta.recordingId} is being shared by Bob; only Bob's cockpit can upload or complete it`,
    });
    expect(await failure(deleteSharedRecording(carol, r.meta.recordingId))).toMatchObject({
      code: 'forbidden',
      message: `only Bob (who shared recording ${r.meta.recordingId}) or an admin of team "payments" may delete it, and Carol is a member`,
    });
    expect(await failure(shareTranscript(vera, r.meta.recordingId, []))).toMatchObject({ code: 'forbidden' });

    const before = await usage('payments');
    expect(await deleteSharedRecording(alice, r.meta.recordingId)).toEqual({ recordingId: r.meta.recordingId, freedBytes: r.bytes.length });
    expect(await usage('payments')).toBe(before - r.bytes.length);
    expect((await failure(getSharedRecording(bob, r.meta.recordingId))).code).toBe('not-found');
  });

  it('tells the team room when a recording is shared and when it goes', async () => {
    const r = recording(1);
    const listener = await socketOf(alice);
    const outsider = await socketOf(mallory);
    const heard: RecordingChanged[] = [];
    const leaked: unknown[] = [];
    listener.on(RECORDING_HUB_EVENTS.changed, (m: RecordingChanged) => heard.push(m));
    outsider.on(RECORDING_HUB_EVENTS.changed, (m: unknown) => leaked.push(m));
    await uploadRecording(bob, r.file, r.meta);
    await deleteSharedRecording(bob, r.meta.recordingId);
    await expect.poll(() => heard.map((m) => m.change)).toEqual(['shared', 'deleted']);
    expect(heard[0]).toEqual({ incidentId: r.meta.incidentId, recordingId: r.meta.recordingId, change: 'shared' });
    expect(leaked).toEqual([]);
  });

  it('discards a copy whose digest does not match, so a spliced file is never shared', async () => {
    const r = recording(20);
    const s = await socketOf(bob);
    await raw(s, RECORDING_HUB_EVENTS.offer, { ...r.meta, totalBytes: r.bytes.length });
    for (let at = 0; at < r.bytes.length; at += CHUNK) {
      // One flipped byte in the middle chunk, as a corrupted resume would store.
      const bytes = Buffer.from(r.bytes.subarray(at, at + CHUNK));
      if (at === CHUNK) bytes[10] = bytes[10]! ^ 0xff;
      expect((await raw(s, RECORDING_HUB_EVENTS.chunk, { recordingId: r.meta.recordingId, offset: at, bytes })).error).toBeUndefined();
    }
    const ack = await raw(s, RECORDING_HUB_EVENTS.complete, { recordingId: r.meta.recordingId, sha256: sha(r.bytes) });
    expect(ack.error?.code).toBe('conflict');
    expect(ack.error?.message).toMatch(/does not match yours .* so it was discarded: share it again to upload it from the start$/);
    expect((await getSharedRecording(bob, r.meta.recordingId)).recording).toMatchObject({ received: 0, complete: false });
    // The client uploads it again from the start, and then it is whole.
    expect((await uploadRecording(bob, r.file, r.meta)).sha256).toBe(sha(r.bytes));
  });

  it('refuses bad input with a sentence and stores nothing', async () => {
    const r = recording(20);
    const s = await socketOf(bob);
    const id = r.meta.recordingId;
    const refused = async (name: string, payload: unknown) => (await raw(s, name, payload)).error;
    expect(await refused(RECORDING_HUB_EVENTS.offer, { ...r.meta, recordingId: 'not-a-uuid', totalBytes: 10 })).toEqual({ code: 'invalid-input', message: 'recording.offer: recordingId: not a valid id (expected a UUID)' });
    expect(await refused(RECORDING_HUB_EVENTS.offer, { ...r.meta, mime: 'text/html', totalBytes: 10 })).toMatchObject({ code: 'invalid-input', message: 'recording.offer: mime: not an audio MIME type (e.g. audio/wav)' });
    expect(await refused(RECORDING_HUB_EVENTS.offer, { ...r.meta, totalBytes: RECORDING_LIMITS.recordingBytes + 1 })).toMatchObject({ message: 'recording.offer: totalBytes: a recording is at most 1 GiB' });
    expect(await refused(RECORDING_HUB_EVENTS.offer, { ...r.meta, totalBytes: 10, extra: 1 })).toMatchObject({ code: 'invalid-input' });
    expect(await refused(RECORDING_HUB_EVENTS.chunk, { recordingId: id, offset: 0, bytes: Buffer.alloc(1) })).toMatchObject({ code: 'not-found' });
    await raw(s, RECORDING_HUB_EVENTS.offer, { ...r.meta, totalBytes: r.bytes.length });
    expect(await refused(RECORDING_HUB_EVENTS.offer, { ...r.meta, totalBytes: r.bytes.length + 1 })).toMatchObject({ code: 'conflict', message: expect.stringMatching(/this offer differs, so it is not the same file/) });
    expect(await refused(RECORDING_HUB_EVENTS.chunk, { recordingId: id, offset: 0, bytes: Buffer.alloc(CHUNK + 1) })).toEqual({ code: 'invalid-input', message: 'recording.chunk: bytes: at most 256 KiB at a time' });
    expect(await refused(RECORDING_HUB_EVENTS.chunk, { recordingId: id, offset: 0, bytes: 'aGVsbG8=' })).toEqual({ code: 'invalid-input', message: 'recording.chunk: bytes: bytes must be binary (a Buffer or ArrayBuffer), not text or numbers' });
    expect(await refused(RECORDING_HUB_EVENTS.chunk, { recordingId: id, offset: -1, bytes: Buffer.alloc(1) })).toMatchObject({ code: 'invalid-input' });
    expect(await refused(RECORDING_HUB_EVENTS.chunk, { recordingId: id, offset: 5, bytes: Buffer.alloc(1) })).toMatchObject({ code: 'conflict' });
    expect(await refused(RECORDING_HUB_EVENTS.chunk, { recordingId: id, offset: 0, bytes: Buffer.alloc(r.bytes.length + 1).subarray(0, CHUNK) })).toBeUndefined();
    expect(await refused(RECORDING_HUB_EVENTS.complete, { recordingId: id, sha256: sha(r.bytes) })).toEqual({
      code: 'conflict',
      message: `the hub has ${CHUNK} of the ${r.bytes.length} bytes of recording ${id}: send the rest before completing it`,
    });
    expect(await refused(RECORDING_HUB_EVENTS.complete, { recordingId: id, sha256: 'XYZ' })).toMatchObject({ message: 'recording.complete: sha256: not a SHA-256 (64 lower-case hex digits)' });
    expect(await refused(RECORDING_HUB_EVENTS.transcript, { recordingId: id, transcript: [{ startMs: 500, endMs: 100, text: 'x' }] })).toMatchObject({
      message: 'recording.transcript: transcript.0: a transcript segment ends before it starts',
    });
    expect(await refused(RECORDING_HUB_EVENTS.transcript, { recordingId: id, transcript: [{ startMs: 0, endMs: 60_000, text: 'x' }] })).toEqual({
      code: 'invalid-input',
      message: 'transcript segment 1 ends at 60000 ms, past the end of the 20000 ms recording: nothing was stored',
    });
    expect(await refused(RECORDING_HUB_EVENTS.transcript, { recordingId: id, transcript: [{ startMs: 0, endMs: 1, text: 'x'.repeat(RECORDING_LIMITS.segmentChars + 1) }] })).toMatchObject({ code: 'invalid-input' });
    expect(await refused(RECORDING_HUB_EVENTS.fetch, { recordingId: id, offset: 0, length: RECORDING_LIMITS.fetchBytes + 1 })).toMatchObject({ message: 'recording.fetch: length: a fetch reads at most 1 MiB' });
    expect(await refused(RECORDING_HUB_EVENTS.list, { incidentId: 'x' })).toMatchObject({ code: 'invalid-input' });
    expect((await getSharedRecording(bob, id)).recording).toMatchObject({ received: CHUNK, transcriptSegments: 0 });
    // The client refuses what the hub would, before sending anything.
    expect(await failure(uploadRecording(bob, r.file, { ...r.meta, recordingId: newId(), callId: 'call-1' }))).toMatchObject({ code: 'invalid-input', message: `cannot share ${r.file}: callId: not a valid id (expected a UUID)` });
  });

  it('refuses an upload over the team quota with a sentence, and stores nothing of it', async () => {
    const small = await start(kind, { quotaBytes: 1024 * 1024 });
    try {
      const ana = await small.invite('payments', 'Ana');
      const a = recording(18); // 576,044 bytes
      const b = recording(18);
      const c = recording(18);
      const s = await client(small.hub.url, ana.token);
      sockets.push(s);
      // b is offered while the team holds nothing, so the offer fits; its chunks then meet the quota.
      await raw(s, RECORDING_HUB_EVENTS.offer, { ...b.meta, totalBytes: b.bytes.length });
      await uploadRecording(ana, a.file, a.meta);
      const held = async () => (await small.store.recordings.usage()).find((u) => u.team === 'payments')?.bytes;
      expect(await held()).toBe(a.bytes.length);
      expect((await raw(s, RECORDING_HUB_EVENTS.chunk, { recordingId: b.meta.recordingId, offset: 0, bytes: b.bytes.subarray(0, CHUNK) })).error).toBeUndefined();
      const over = await raw(s, RECORDING_HUB_EVENTS.chunk, { recordingId: b.meta.recordingId, offset: CHUNK, bytes: b.bytes.subarray(CHUNK, 2 * CHUNK) });
      expect(over.error).toEqual({
        code: 'too-large',
        message: `team "payments"'s shared recordings would pass its 1.0 MiB quota on the hub (818.5 KiB in use): nothing of this chunk was stored; delete old recordings or ask the hub's operator to raise --recording-quota`,
      });
      expect(await held()).toBe(a.bytes.length + CHUNK);
      expect((await getSharedRecording(ana, b.meta.recordingId)).recording.received).toBe(CHUNK);
      // A new recording that cannot fit is refused at its offer: nothing is created.
      const refused = await failure(uploadRecording(ana, c.file, c.meta));
      expect(refused).toMatchObject({
        code: 'too-large',
        message: `this 562.5 KiB recording does not fit team "payments"'s recording quota on the hub (818.5 KiB of 1.0 MiB in use): delete old recordings or ask the hub's operator to raise --recording-quota; nothing was stored`,
      });
      expect(await listSharedRecordings(ana, c.meta.incidentId)).toEqual([]);
      // Freeing space lets the stalled upload finish.
      await deleteSharedRecording(ana, a.meta.recordingId);
      expect((await uploadRecording(ana, b.file, b.meta)).complete).toBe(true);
      expect(await held()).toBe(b.bytes.length);
    } finally {
      await small.dispose();
    }
  });

  it('deletes recordings and their transcripts once they pass the retention, and keeps younger ones', async () => {
    const day = 86_400_000;
    const short = await start(kind, { retentionMs: 30 * day, sweepEveryMs: 100 });
    try {
      const ana = await short.invite('payments', 'Ana');
      const incidentId = newId();
      const old = recording(2, incidentId);
      await uploadRecording(ana, old.file, { ...old.meta, transcript: [{ startMs: 0, endMs: 1000, text: 'page the DBA' }] });
      clock = 20 * day;
      const young = recording(2, incidentId);
      await uploadRecording(ana, young.file, young.meta);
      expect((await listSharedRecordings(ana, incidentId)).length).toBe(2);
      clock = 31 * day;
      await expect.poll(async () => (await listSharedRecordings(ana, incidentId)).map((r) => r.recordingId), { timeout: 10_000 }).toEqual([young.meta.recordingId]);
      expect((await failure(getSharedRecording(ana, old.meta.recordingId))).code).toBe('not-found');
      expect((await short.store.recordings.usage()).find((u) => u.team === 'payments')?.bytes).toBe(young.bytes.length);
      expect(short.hub.metrics.recordingsSwept).toBe(1);
      expect(short.hub.metrics.render()).toContain(`conn_hub_recording_bytes{team="payments"} ${young.bytes.length}`);
    } finally {
      await short.dispose();
    }
  });
});
