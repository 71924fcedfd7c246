import { useEffect, useRef } from 'react';
import type { Call, IncidentState } from '../../shared/domain/fold.js';
import { formatBytes, formatOffset, offsetInto } from '../../shared/domain/recording.js';
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
  const mine = active !== null && active.callId === call.id;
  return (
    <>
      {call.recordedBy.length > 0 && (
        <span className="call-recording" role="status" data-call-recording>
          ● Recorded by {call.recordedBy.join(', ')}
        </span>
      )}
      {mine ? (
        <button type="button" data-record-stop onClick={() => void stop()}>
          Stop recording
        </button>
      ) : (
        <button type="button" data-record-start disabled={active !== null} onClick={() => void start(incident.id, call.id)} title="Record this call on this device; everyone on the incident sees it is recorded">
          Record
        </button>
      )}
    </>
  );
}

/** This device's recordings of the incident, the retention, and why there is no transcript when there is none. */
export function RecordingsPanel({ incident }: { incident: IncidentState }) {
  const { recordings, load, remove, error, noEngine, retentionDays } = useRecordingsStore();
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

/** "▶ 1:03" on a timeline row made while this device recorded the call: plays from that moment. */
export function PlayFromHere({ at }: { at: string }) {
  const recordings = useRecordingsStore((s) => s.recordings);
  const playAt = useRecordingsStore((s) => s.playAt);
  const hit = offsetInto(
    recordings.map((r) => ({ ...r, durationMs: r.state === 'recording' ? null : r.durationMs })),
    at,
  );
  if (!hit) return null;
  return (
    <button type="button" className="play-from" data-play-offset={hit.offsetMs} title="Play the call from this moment" onClick={() => playAt(hit.recording.id, hit.offsetMs)}>
      ▶ {formatOffset(hit.offsetMs)}
    </button>
  );
}
