import { useEffect, useState } from 'react';
import type { UpcomingCall } from '../../shared/api/calls-methods.js';
import { rpc } from '../api/client.js';
import { openIncident } from '../stores/navigation.js';
import { Time } from '../time/Time.js';

/** How often the planned calls are asked for again: a call planned by a teammate arrives by sync. */
const POLL_MS = 30_000;
/** Ids of planned calls already announced in this window, so a reload or a re-poll says it once. */
const SEEN_KEY = 'conn.plannedCallsAnnounced';

function announced(): Set<string> {
  try {
    return new Set(JSON.parse(sessionStorage.getItem(SEEN_KEY) ?? '[]') as string[]);
  } catch {
    return new Set();
  }
}

/**
 * When a planned call the person is on starts, say so: a banner in the window (a live region,
 * so a screen reader hears it) and a desktop notification when the person allowed them. Only
 * attendees are told; the planned time is kept in UTC and shown in the reader's zone.
 */
export function PlannedCallAlerts() {
  const [upcoming, setUpcoming] = useState<UpcomingCall[]>([]);
  const [starting, setStarting] = useState<UpcomingCall[]>([]);

  useEffect(() => {
    let live = true;
    const poll = async () => {
      try {
        const calls = await rpc().call('calls.upcoming', {});
        if (live) setUpcoming(calls.filter((c) => c.you));
      } catch {
        // The core link is down; the next poll asks again.
      }
    };
    void poll();
    const t = setInterval(() => void poll(), POLL_MS);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, []);

  useEffect(() => {
    const timers = upcoming.map((c) =>
      setTimeout(
        () => {
          const seen = announced();
          if (seen.has(c.call.id)) return;
          seen.add(c.call.id);
          sessionStorage.setItem(SEEN_KEY, JSON.stringify([...seen]));
          setStarting((s) => [...s.filter((x) => x.call.id !== c.call.id), c]);
          if (typeof Notification !== 'undefined' && Notification.permission === 'granted') {
            new Notification(`Call starting: ${c.call.title ?? c.ref}`, { body: `${c.ref} ${c.incidentTitle} — with ${c.call.attendees.join(', ')}`, tag: c.call.id });
          }
        },
        Math.max(0, Date.parse(c.call.at) - Date.now()),
      ),
    );
    return () => timers.forEach(clearTimeout);
  }, [upcoming]);

  const dismiss = (id: string) => setStarting((s) => s.filter((x) => x.call.id !== id));
  return (
    <div className="planned-call-alerts" role="alert" aria-label="Planned calls starting">
      {starting.map((c) => (
        <p key={c.call.id} className="planned-call-alert">
          Planned call starting{c.call.title ? `: ${c.call.title}` : ''} on {c.ref} (<Time iso={c.call.at} />, {c.call.lengthMin} min, with {c.call.attendees.join(', ')}).{' '}
          <button
            type="button"
            onClick={() => {
              dismiss(c.call.id);
              openIncident(c.incidentId);
            }}
          >
            Open {c.ref}
          </button>{' '}
          <button type="button" onClick={() => dismiss(c.call.id)}>
            Dismiss
          </button>
        </p>
      ))}
    </div>
  );
}
