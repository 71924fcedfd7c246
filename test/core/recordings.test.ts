import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { composeCockpit, type Cockpit } from '../../main/core/api/compose.js';
import { transcriptionsSettled, useEngines } from '../../main/core/api/recordings.js';
import { wavDataBytes, WAV_HEADER_BYTES } from '../../main/core/store/wav.js';
import type { TranscriptionEngine } from '../../main/core/transcribe/engine.js';

/*
 * Call recordings in a real core over a real SQLite file: chunks land in a WAV that survives a
 * kill -9 of the writer with everything acknowledged, retention and Delete remove the file and
 * its transcript (search included), and a transcript redaction scrubs the words everywhere.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const dirs: string[] = [];
const open: Cockpit[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'conn-rec-'));
  dirs.push(d);
  return d;
}

async function cockpit(dataDir = tempDir(), host: 'cli' | 'web' = 'cli'): Promise<Cockpit> {
  const c = await composeCockpit({ dataDir, host });
  open.push(c);
  return c;
}

/** An engine that hears fixed words: the store's behaviour, not the recogniser's, is under test here. */
const heard = (segments: Array<{ startMs: number; endMs: number; text: string }>): TranscriptionEngine => ({
  name: 'fixed',
  available: async () => null,
  transcribe: async () => segments,
});

async function recordedCall(c: Cockpit, seconds = 2) {
  const { api, core } = c;
  await api.call('profile.set', { name: 'Alice' });
  const { id: incidentId } = await api.call('incidents.declare', { title: 'Checkout 502', severity: 2 });
  const call = core.events.appendLocal(incidentId, 'call.started', { title: 'bridge' });
  const { recording } = await api.call('recordings.start', { incidentId, callId: call.id });
  const pcm = Buffer.alloc(32_000, 1).toString('base64');
  for (let s = 0; s < seconds; s++) await api.call('recordings.chunk', { recordingId: recording.id, seq: s, pcm });
  return { incidentId, callId: call.id, recordingId: recording.id };
}

describe('recording to a file', () => {
  it('appends chunks to a WAV whose header counts them, and tells the team it is recorded', async () => {
    const c = await cockpit();
    const { incidentId, callId, recordingId } = await recordedCall(c, 3);
    const rec = c.core.recordings.require(recordingId);
    expect(wavDataBytes(rec.file)).toBe(96_000);
    expect(statSync(rec.file).size).toBe(96_000 + WAV_HEADER_BYTES);
    expect(c.core.events.stateOf(incidentId)!.calls.find((x) => x.id === callId)!.recordedBy).toEqual(['Alice']);
    // A chunk resent (its answer lost) is not written twice; one that skips ahead is refused.
    await c.api.call('recordings.chunk', { recordingId, seq: 2, pcm: Buffer.alloc(32_000).toString('base64') });
    expect(wavDataBytes(rec.file)).toBe(96_000);
    await expect(c.api.call('recordings.chunk', { recordingId, seq: 9, pcm: Buffer.alloc(32_000).toString('base64') })).rejects.toMatchObject({ code: 'conflict' });
    useEngines(c.core, []);
    const stopped = await c.api.call('recordings.stop', { recordingId });
    expect(stopped.recording).toMatchObject({ durationMs: 3000, bytes: 96_000 + WAV_HEADER_BYTES });
    expect(c.core.events.stateOf(incidentId)!.recordings[0]).toMatchObject({ id: recordingId, durationMs: 3000, shared: false });
    await transcriptionsSettled(c.core);
    const list = await c.api.call('recordings.list', { incidentId });
    expect(list.recordings[0]!.state).toBe('no-transcript');
    expect(list.recordings[0]!.transcriptNote).toMatch(/^No transcript: /);
  });

  it('refuses a chunk over the limit, and one that is not base64, without writing anything', async () => {
    const c = await cockpit();
    const { recordingId } = await recordedCall(c, 1);
    await expect(c.api.call('recordings.chunk', { recordingId, seq: 1, pcm: Buffer.alloc(200_000).toString('base64') })).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(c.api.call('recordings.chunk', { recordingId, seq: 1, pcm: 'not base64!' })).rejects.toMatchObject({ code: 'invalid-input' });
    expect(wavDataBytes(c.core.recordings.require(recordingId).file)).toBe(32_000);
  });

  it('keeps every acknowledged chunk after kill -9 of the writer; the next start of the app closes it', async () => {
    const dataDir = tempDir();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'recording-writer.ts'), dataDir], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if ((out.match(/^chunk /gm) ?? []).length >= 8) resolve();
      });
      child.on('exit', () => reject(new Error(`writer exited early: ${err}`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('close', r));
    const acked = (out.match(/^chunk (\d+)$/gm) ?? []).length;
    const recordingId = /^rec (\S+)$/m.exec(out)![1]!;
    const file = path.join(dataDir, 'recordings', `${recordingId}.wav`);
    // The header on disk already counts every acknowledged chunk (at most one more, in flight).
    const counted = wavDataBytes(file);
    expect(counted).toBeGreaterThanOrEqual(acked * 16_000);
    expect(counted).toBeLessThanOrEqual((acked + 1) * 16_000);
    // And the samples are the ones sent, up to the last acknowledged chunk.
    const data = readFileSync(file).subarray(WAV_HEADER_BYTES);
    const last = acked - 1;
    expect(data.readInt16LE(last * 16_000 + 10)).toBe(((last * 8000 + 5) % 200) * 100 - 10_000);

    const app = await cockpit(dataDir, 'web');
    useEngines(app.core, []);
    const rec = app.core.recordings.require(recordingId);
    expect(rec.state === 'stopped' || rec.state === 'no-transcript' || rec.state === 'transcribing').toBe(true);
    expect(rec.bytes).toBeGreaterThanOrEqual(acked * 16_000);
    const state = app.core.events.stateOf(rec.incidentId)!;
    expect(state.recordings[0]!.durationMs).toBe(rec.durationMs);
    expect(state.calls[0]!.recordedBy).toEqual([]);
    await transcriptionsSettled(app.core);
  }, 60_000);
});

describe('transcripts, retention, delete and redaction', () => {
  it('indexes the transcript for search, quotes it in the minutes, and Delete removes file, transcript and search hits', async () => {
    const c = await cockpit();
    useEngines(c.core, [heard([{ startMs: 0, endMs: 1500, text: 'we roll back the checkout deploy' }, { startMs: 1600, endMs: 1900, text: 'call the customer Zebediah' }])]);
    const { incidentId, callId, recordingId } = await recordedCall(c, 2);
    await c.api.call('events.append', { incidentId, kind: 'decision', payload: { text: 'Roll back' } });
    await c.api.call('recordings.stop', { recordingId });
    await transcriptionsSettled(c.core);
    expect(c.core.search.timeline(incidentId, 'checkout').hits.some((h) => h.id === `seg:${recordingId}:0`)).toBe(true);
    await c.api.call('calls.end', { incidentId, callId });
    const minutes = await c.api.call('minutes.read', { incidentId, callId });
    expect(minutes!.text).toMatch(/Roll back\n {2}> 0:00 "we roll back the checkout deploy"/);

    // Redacting a segment scrubs its words from the table and the index.
    await c.api.call('transcript.redact', { incidentId, recordingId, startMs: 1600, reason: 'customer name' });
    expect(c.core.search.timeline(incidentId, 'Zebediah').hits).toEqual([]);
    const lines = (await c.api.call('transcript.get', { incidentId })).lines;
    expect(lines.map((l) => [l.startMs, l.text, l.redacted])).toEqual([[0, 'we roll back the checkout deploy', false], [1600, '', true]]);
    expect(JSON.stringify(c.core.db.prepare('SELECT * FROM transcript_segments').all())).not.toContain('Zebediah');

    const file = c.core.recordings.require(recordingId).file;
    await c.api.call('recordings.delete', { recordingId });
    expect(existsSync(file)).toBe(false);
    expect(c.core.search.timeline(incidentId, 'deploy').hits).toEqual([]);
    expect((await c.api.call('transcript.get', { incidentId })).lines).toEqual([]);
    await expect(c.api.call('recordings.delete', { recordingId })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('transcribes one recording at a time: the second waits, shown as stopped, until the first is done', async () => {
    const c = await cockpit();
    let running = 0;
    let most = 0;
    const started: string[] = [];
    const release: Array<() => void> = [];
    useEngines(c.core, [
      {
        name: 'slow',
        available: async () => null,
        transcribe: async (wav) => {
          started.push(wav);
          running += 1;
          most = Math.max(most, running);
          await new Promise<void>((r) => release.push(r));
          running -= 1;
          return [{ startMs: 0, endMs: 500, text: 'rolled back' }];
        },
      },
    ]);
    const first = await recordedCall(c, 1);
    const second = await recordedCall(c, 1);
    await c.api.call('recordings.stop', { recordingId: first.recordingId });
    await c.api.call('recordings.stop', { recordingId: second.recordingId });
    await new Promise((r) => setTimeout(r, 50));
    expect(started).toHaveLength(1);
    expect(c.core.recordings.require(second.recordingId).state).toBe('stopped');
    release.shift()!();
    await new Promise((r) => setTimeout(r, 50));
    expect(started).toHaveLength(2);
    expect(c.core.recordings.require(first.recordingId).state).toBe('transcribed');
    release.shift()!();
    await transcriptionsSettled(c.core);
    expect(c.core.recordings.require(second.recordingId).state).toBe('transcribed');
    expect(most).toBe(1);
  });

  it('prunes recordings older than the retention, and refuses a retention out of range without changing it', async () => {
    const c = await cockpit();
    useEngines(c.core, []);
    const { recordingId } = await recordedCall(c, 1);
    await c.api.call('recordings.stop', { recordingId });
    await transcriptionsSettled(c.core);
    await expect(c.api.call('recordings.retention', { days: 0 })).rejects.toMatchObject({ code: 'invalid-input' });
    expect((await c.api.call('recordings.retention', {})).days).toBe(30);
    const rec = c.core.recordings.require(recordingId);
    c.core.db.prepare('UPDATE recordings SET started_at = ? WHERE id = ?').run(new Date(Date.now() - 8 * 86_400_000).toISOString(), recordingId);
    utimesSync(rec.file, new Date(), new Date());
    expect((await c.api.call('recordings.retention', { days: 10 })).pruned).toBe(0);
    expect((await c.api.call('recordings.retention', { days: 7 })).pruned).toBe(1);
    expect(existsSync(rec.file)).toBe(false);
    expect(c.core.recordings.get(recordingId)).toBeNull();
  });
});
