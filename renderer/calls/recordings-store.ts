import { create } from 'zustand';
import type { RecordingInfo } from '../../shared/api/recordings-methods.js';
import { rpc } from '../api/client.js';
import { useCockpitStore } from '../stores/cockpit-store.js';
import { PcmRecorder, toBase64 } from './recorder.js';

/*
 * Call audio in the cockpit: this device's recordings of the shown incident (size, transcript
 * state, Delete), the recording in progress, and the player an entry's "▶ 14:03" drives.
 * Chunks go to the core one after another (a promise chain), numbered, so none is lost or
 * written twice; a failed chunk stops the recording and says why.
 */

interface Active {
  incidentId: string;
  callId: string;
  recordingId: string;
  recorder: PcmRecorder;
}

export interface PlayRequest {
  src: string;
  atMs: number;
  /** Changes on every click, so clicking the same moment twice plays it again. */
  nonce: number;
}

interface RecordingsState {
  incidentId: string | null;
  recordings: RecordingInfo[];
  retentionDays: number | null;
  /** One line: why there will be no transcript, and how to get one (null when an engine is here). */
  noEngine: string | null;
  active: Active | null;
  error: string | null;
  play: PlayRequest | null;
  load(incidentId: string): Promise<void>;
  start(incidentId: string, callId: string): Promise<void>;
  stop(): Promise<void>;
  remove(recordingId: string): Promise<void>;
  playAt(recordingId: string, atMs: number): void;
  /** Uploads this device's recording to the hub and tells the team. */
  share(recordingId: string): Promise<void>;
  /** Plays a teammate's shared recording from a moment, bringing it to this device first. */
  fetchAndPlay(incidentId: string, recordingId: string, atMs: number): Promise<void>;
  /** Recordings being shared or fetched now: their buttons say so. */
  busy: string[];
}

let chain: Promise<unknown> = Promise.resolve();

export const useRecordingsStore = create<RecordingsState>()((set, get) => ({
  incidentId: null,
  recordings: [],
  retentionDays: null,
  noEngine: null,
  active: null,
  error: null,
  play: null,
  busy: [],
  async load(incidentId) {
    const r = await rpc().call('recordings.list', { incidentId });
    // An answer for an incident no longer shown is dropped.
    if (useCockpitStore.getState().incidentId !== incidentId) return;
    set({ incidentId, recordings: r.recordings, retentionDays: r.retentionDays, noEngine: r.noEngine });
  },
  async start(incidentId, callId) {
    if (get().active) return;
    set({ error: null });
    let seq = 0;
    let recordingId: string | null = null;
    const recorder = new PcmRecorder((pcm) => {
      const n = seq++;
      const id = recordingId;
      if (id === null) return;
      chain = chain.then(() => rpc().call('recordings.chunk', { recordingId: id, seq: n, pcm: toBase64(pcm) })).catch((err: unknown) => {
        set({ error: `Recording stopped: ${err instanceof Error ? err.message : String(err)}` });
        void get().stop();
      });
    });
    try {
      await recorder.start();
    } catch (err) {
      await recorder.stop().catch(() => undefined);
      set({ error: `Cannot record: ${err instanceof Error ? err.message : String(err)} (the microphone must be allowed for this page)` });
      return;
    }
    try {
      const r = await rpc().call('recordings.start', { incidentId, callId });
      recordingId = r.recording.id;
      set({ active: { incidentId, callId, recordingId, recorder } });
    } catch (err) {
      await recorder.stop();
      set({ error: err instanceof Error ? err.message : String(err) });
      return;
    }
    await get().load(incidentId);
  },
  async stop() {
    const a = get().active;
    if (!a) return;
    set({ active: null });
    await a.recorder.stop();
    // Every chunk is written before the stop, which measures the file.
    await chain;
    await rpc().call('recordings.stop', { recordingId: a.recordingId }).catch((err: unknown) => set({ error: err instanceof Error ? err.message : String(err) }));
    await get().load(a.incidentId);
  },
  async remove(recordingId) {
    await rpc().call('recordings.delete', { recordingId });
    const id = get().incidentId;
    if (id) await get().load(id);
  },
  async share(recordingId) {
    set({ busy: [...get().busy, recordingId], error: null });
    try {
      await rpc().call('recordings.share', { recordingId });
    } catch (err) {
      set({ error: `Not shared: ${err instanceof Error ? err.message : String(err)}` });
    } finally {
      set({ busy: get().busy.filter((b) => b !== recordingId) });
    }
    const id = get().incidentId;
    if (id) await get().load(id);
  },
  async fetchAndPlay(incidentId, recordingId, atMs) {
    set({ busy: [...get().busy, recordingId], error: null });
    try {
      await rpc().call('recordings.fetch', { incidentId, recordingId });
      await get().load(incidentId);
      get().playAt(recordingId, atMs);
    } catch (err) {
      set({ error: `Cannot play it: ${err instanceof Error ? err.message : String(err)}` });
    } finally {
      set({ busy: get().busy.filter((b) => b !== recordingId) });
    }
  },
  playAt(recordingId, atMs) {
    const rec = get().recordings.find((r) => r.id === recordingId);
    if (rec) set({ play: { src: rec.src, atMs, nonce: Date.now() } });
  },
}));
