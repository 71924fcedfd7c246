import { useEffect, useRef } from 'react';
import type { Call, IncidentState } from '../../shared/domain/fold.js';
import { formatBytes, formatOffset, offsetInto } from '../../shared/domain/recording.js';
import { useCockpitStore } from '../stores/cockpit-store.js';
import { useRecordingsStore } from './recordings-store.js';

/*
 * Call audio in the call bar: Record/Stop for the running call, the indicator everyone sees
 * while someone records it, this device's recordings with their size and transcript, and the
 * player that timeline entries' "▶ 14:03" drive. See docs/call-audio.md.
 */

export function RecordControls({ incident, call }: { incident: IncidentState; call: Call }) {
  const active = useRecordingsStore((s) => s.active);
  const start = useRecordingsStore((s) => s.start);
  const stop = useRecordingsStore((s) => s.stop);
  const notice = useRecordingsStore((s) => s.notice);
  const mine = active !== null && active.callId === call.id;
  return (
    <>
      {call.recordedBy.length > 0 && (
        <span className="call-recording" role="status" data-call-recording>
          ● Recorded by {call.recordedBy.join(', ')}
        </span>
      )}
      {mine ? (
        <>
          <span className="recording-sources" role="status" data-recording-sources>
            Recording · {active.systemAudio ? "microphone and this computer's sound" : 'microphone'}
          </span>
          {notice && (
            <span className="muted" role="status" data-recording-notice>
              {notice}
            </span>
          )}
          <button type="button" data-record-stop onClick={() => void stop()}>
            Stop recording
          </button>
        </>
      ) : (
        <>
          <button type="button" data-record-start disabled={active !== null} onClick={() => void start(incident.id, call.id)} title="Record this call on this device; everyone on the incident sees it is recorded">
            Record
          </button>
          <SystemAudioOption disabled={active !== null} />
        </>
      )}
    </>
  );
}

/**
 * "Also record this computer's sound": offered only where the desktop app can (Windows, macOS
 * 15+). Elsewhere a short "Microphone only" stands in its place, with the reason on hover and for
 * screen readers, so nobody wonders why the others are missing from a recording and the call bar
 * stays one row.
 */
function SystemAudioOption({ disabled }: { disabled: boolean }) {
  const support = useRecordingsStore((s) => s.systemAudio);
  const wanted = useRecordingsStore((s) => s.recordSystemAudio);
  const load = useRecordingsStore((s) => s.loadSystemAudio);
  const setWanted = useRecordingsStore((s) => s.setRecordSystemAudio);
  useEffect(() => {
    void load();
  }, [load]);
  if (!support) return null;
  if (!support.available)
    return (
      <span className="muted" title={support.reason} data-system-audio-reason>
        Microphone only<span className="visually-hidden">: {support.reason}</span>
      </span>
    );
  return (
    <label className="system-audio-option" title="The other participants, as this computer plays them">
      <input type="checkbox" data-system-audio checked={wanted} disabled={disabled} onChange={(e) => setWanted(e.currentTarget.checked)} /> Also record this
      computer's sound
    </label>
  );
}

/** This device's recordings of the incident, the retention, and why there is no transcript when there is none. */
export function RecordingsPanel({ incident }: { incident: IncidentState }) {
  const { recordings, load, remove, error, noEngine, retentionDays, share, busy } = useRecordingsStore();
  useEffect(() => {
    void load(incident.id).catch(() => undefined);
  }, [incident, load]);
  if (recordings.length === 0 && !error) return null;
  return (
    <div className="call-recordings" aria-label="Recordings on this device">
      {error && (
        <p className="error-line" role="alert">
          {error}
        </p>
      )}
      {recordings.map((r) => {
        const call = incident.calls.find((c) => c.id === r.callId);
        const transcript =
          r.state === 'recording' ? 'recording…' : r.state === 'transcribing' ? 'transcribing…' : r.state === 'transcribed' ? 'transcript ready' : r.state === 'stopped' ? 'waiting to transcribe' : (r.transcriptNote ?? noEngine ?? 'no transcript');
        return (
          <div className="call-row recording-row" key={r.id} data-recording-id={r.id}>
            <span>
              {call?.title ?? 'Call'} recording, {formatOffset(r.durationMs)}, <span data-recording-size>{formatBytes(r.bytes)}</span>
            </span>
            <span className="muted" data-transcript-state={r.state}>
              {transcript}
            </span>
            <button type="button" onClick={() => useRecordingsStore.getState().playAt(r.id, 0)}>
              ▶ Play
            </button>
            {r.state !== 'recording' && !r.shared && (
              <button type="button" data-record-share disabled={busy.includes(r.id)} onClick={() => void share(r.id)} title="Upload it to the team's hub, with its transcript, and tell everyone on the incident">
                {busy.includes(r.id) ? 'Sharing…' : 'Share'}
              </button>
            )}
            {r.shared && <span className="badge">shared</span>}
            {r.state !== 'recording' && (
              <button type="button" className="danger" onClick={() => void remove(r.id)} title={`Deletes the audio and its transcript from this device (kept ${retentionDays ?? 30} days otherwise)`}>
                Delete
              </button>
            )}
          </div>
        );
      })}
    </div>
  );
}

/** The player: plays a recording from the moment an entry asked for. */
export function CallPlayer() {
  const play = useRecordingsStore((s) => s.play);
  const ref = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el || !play) return;
    const seek = () => {
      el.currentTime = play.atMs / 1000;
      void el.play().catch(() => undefined);
    };
    if (el.getAttribute('src') !== play.src) {
      el.src = play.src;
      el.addEventListener('loadedmetadata', seek, { once: true });
      el.load();
    } else seek();
  }, [play]);
  if (!play) return null;
  return <audio ref={ref} className="call-player" data-call-player controls preload="metadata" aria-label="Call recording" />;
}

/**
 * "▶ 1:03" on a timeline row made while a call was recorded: on this device, or shared with the
 * team (then the first play brings it here). Plays the call from that moment.
 */
export function PlayFromHere({ at }: { at: string }) {
  const recordings = useRecordingsStore((s) => s.recordings);
  const busy = useRecordingsStore((s) => s.busy);
  const incident = useCockpitStore((s) => s.incident);
  const local = recordings.map((r) => ({ ...r, durationMs: r.state === 'recording' ? null : r.durationMs }));
  const shared = (incident?.recordings ?? []).filter((r) => r.shared && !recordings.some((l) => l.id === r.id));
  const hit = offsetInto([...local, ...shared], at);
  if (!hit || !incident) return null;
  const here = recordings.some((r) => r.id === hit.recording.id);
  const play = () => {
    const s = useRecordingsStore.getState();
    if (here) s.playAt(hit.recording.id, hit.offsetMs);
    else void s.fetchAndPlay(incident.id, hit.recording.id, hit.offsetMs);
  };
  return (
    <button
      type="button"
      className="play-from"
      data-play-offset={hit.offsetMs}
      disabled={busy.includes(hit.recording.id)}
      title={here ? 'Play the call from this moment' : 'Play the shared recording from this moment (it is fetched from the hub first)'}
      onClick={play}
    >
      ▶ {formatOffset(hit.offsetMs)}
    </button>
  );
}
