import { create } from 'zustand';
import type { SystemAudioSupport } from '../../shared/api/contract.js';
import type { RecordingInfo } from '../../shared/api/recordings-methods.js';
import { rpc } from '../api/client.js';
import { useCockpitStore } from '../stores/cockpit-store.js';
import { PcmRecorder, toBase64 } from './recorder.js';
import { captureSystemAudio, loadSystemAudioSupport, recallSystemAudioChoice, rememberSystemAudioChoice } from './system-audio.js';

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
  /** This computer's sound is mixed in (else the microphone alone). */
  systemAudio: boolean;
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
  /** Whether this computer's sound can be recorded here; null until the shell (or its absence) said. */
  systemAudio: SystemAudioSupport | null;
  /** The person's choice to record it too, remembered on this device. */
  recordSystemAudio: boolean;
  /** One line while recording: this computer's sound was wanted but is not recorded, and why. */
  notice: string | null;
  loadSystemAudio(): Promise<void>;
  setRecordSystemAudio(on: boolean): void;
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
  systemAudio: null,
  recordSystemAudio: recallSystemAudioChoice(),
  notice: null,
  play: null,
  busy: [],
  async loadSystemAudio() {
    if (get().systemAudio) return;
    set({ systemAudio: await loadSystemAudioSupport() });
  },
  setRecordSystemAudio(on) {
    rememberSystemAudioChoice(on);
    set({ recordSystemAudio: on });
  },
  async load(incidentId) {
    const r = await rpc().call('recordings.list', { incidentId });
    // An answer for an incident no longer shown is dropped.
    if (useCockpitStore.getState().incidentId !== incidentId) return;
    set({ incidentId, recordings: r.recordings, retentionDays: r.retentionDays, noEngine: r.noEngine });
  },
  async start(incidentId, callId) {
    if (get().active) return;
    set({ error: null, notice: null });
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
    // Asked first: getDisplayMedia wants the Record click's user activation, which the
    // microphone's prompt could outlast. A refusal never stops the recording.
    let system: MediaStream | null = null;
    let notice: string | null = null;
    if (get().recordSystemAudio && get().systemAudio?.available) {
      const capture = await captureSystemAudio();
      if ('stream' in capture) system = capture.stream;
      else notice = `This computer's sound is not recorded: ${capture.why}. The microphone is.`;
    }
    system?.getAudioTracks()[0]?.addEventListener('ended', () => {
      // The person stopped sharing (the OS's own "Stop sharing"): the microphone goes on.
      const a = get().active;
      if (a?.recorder === recorder) set({ active: { ...a, systemAudio: false }, notice: "This computer's sound stopped being recorded when its sharing ended. The microphone still is." });
    });
    try {
      await recorder.start(system);
    } catch (err) {
      await recorder.stop().catch(() => undefined);
      set({ error: `Cannot record: ${err instanceof Error ? err.message : String(err)} (the microphone must be allowed for this page)` });
      return;
    }
    try {
      const r = await rpc().call('recordings.start', { incidentId, callId });
      recordingId = r.recording.id;
      set({ active: { incidentId, callId, recordingId, recorder, systemAudio: system?.getAudioTracks().some((t) => t.readyState === 'live') ?? false }, notice });
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
    set({ active: null, notice: null });
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
