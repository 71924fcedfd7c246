import type { Call, IncidentState, PlannedCall } from '../../shared/domain/fold.js';
import { formatDuration } from '../../shared/time/zone.js';
import { useProfileStore } from '../stores/profile-store.js';
import { Time } from '../time/Time.js';
import { useNow } from '../time/use-now.js';
import { useCallsStore } from './calls-store.js';
import { CallPlayer, RecordControls, RecordingsPanel } from './CallAudio.js';
import { useRecordingsStore } from './recordings-store.js';

/**
 * The incident's bridge call, above the timeline: start one, see how long it has run and who
 * is on it (people present on the incident are recorded by their own cockpits; those on the
 * phone are added by name), join or leave it, end it (after a confirmation, which drafts the
 * minutes). Without a running call it offers the next planned call, planning one, and the
 * minutes of the last call.
 */
export function CallBar({ incident }: { incident: IncidentState }) {
  const running = incident.calls.filter((c) => c.endedAt === null);
  const lastEnded = [...incident.calls].reverse().find((c) => c.endedAt !== null) ?? null;
  const now = useNow(1000);
  const next = incident.plannedCalls.find((c) => Date.parse(c.at) + c.lengthMin * 60_000 > now) ?? null;
  const show = useCallsStore((s) => s.show);
  return (
    <section className="call-bar" aria-label="Call">
      {running.map((call) => (
        <RunningCall key={call.id} incident={incident} call={call} now={now} />
      ))}
      {running.length === 0 && (
        <div className="call-row">
          <span className="muted">No call running</span>
          <button type="button" data-call-start onClick={() => show({ kind: 'start' })}>
            Start call
          </button>
          {lastEnded && (
            <button type="button" data-call-minutes onClick={() => show({ kind: 'minutes', callId: lastEnded.id })}>
              Minutes of the last call
            </button>
          )}
        </div>
      )}
      <RecordingsPanel incident={incident} />
      <CallPlayer />
      <div className="call-row">
        <NextPlannedCall call={next} />
        <button type="button" onClick={() => show({ kind: 'plan' })}>
          Plan a call
        </button>
      </div>
    </section>
  );
}

function RunningCall({ incident, call, now }: { incident: IncidentState; call: Call; now: number }) {
  const me = useProfileStore((s) => s.profile?.name ?? null);
  const { show, attend } = useCallsStore();
  const onIt = me !== null && call.attendees.some((a) => a.toLowerCase() === me.toLowerCase());
  const toggle = () => {
    if (me === null) return;
    // A refusal shows on the cockpit (the store's error line), like any other write.
    void attend(incident.id, call.id, me, onIt ? 'left' : 'joined').catch(() => undefined);
  };
  return (
    <div className="call-row running">
      <strong>
        {call.title ?? 'Call'} running <span className="call-duration">{formatDuration(Math.max(0, now - Date.parse(call.startedAt)))}</span>
      </strong>
      {call.bridge && <span className="call-bridge">Bridge: {call.bridge}</span>}
      <span className="call-attendees" role="status" aria-label="On the call">
        On the call: {call.attendees.length ? call.attendees.join(', ') : 'nobody yet'}
      </span>
      <button type="button" onClick={toggle} disabled={me === null}>
        {onIt ? 'Leave' : 'Join'}
      </button>
      <button type="button" onClick={() => show({ kind: 'add-person', callId: call.id })}>
        Add person
      </button>
      <RecordControls incident={incident} call={call} />
      <button
        type="button"
        className="danger"
        onClick={() => {
          // Ending the call ends this device's recording of it first, so the file is whole.
          if (useRecordingsStore.getState().active?.callId === call.id) void useRecordingsStore.getState().stop();
          show({ kind: 'end', callId: call.id });
        }}
      >
        End call
      </button>
    </div>
  );
}

function NextPlannedCall({ call }: { call: PlannedCall | null }) {
  if (!call) return <span className="muted">No call planned</span>;
  return (
    <span className="call-next">
      Next call: <Time iso={call.at} /> ({call.lengthMin} min{call.title ? `, ${call.title}` : ''}) with {call.attendees.join(', ')}
    </span>
  );
}
