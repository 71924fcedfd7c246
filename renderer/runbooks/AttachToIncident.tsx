import { useRef, useState } from 'react';
import { useCockpitStore } from '../stores/cockpit-store.js';
import { openIncident } from '../stores/navigation.js';
import { attach } from './runbooks-store.js';

/**
 * "Attach to INC-…" in the library: the incident is the one the cockpit last showed. After
 * attaching, focus moves to "Open INC-…" (the button that was pressed is gone), so a keyboard
 * user is never left on the page body; a refusal is said beside the button.
 */
export function AttachToIncident({ runbook }: { runbook: string }) {
  const incident = useCockpitStore((s) => s.incident);
  const [attachedTo, setAttachedTo] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const openRef = useRef<HTMLButtonElement>(null);
  if (!incident) return <p className="muted">Open an incident to attach this runbook to it.</p>;
  const already = incident.runbooks.some((r) => r.name === runbook);
  return (
    <div className="attach-line">
      {attachedTo === incident.id || already ? (
        <>
          <span role="status">Attached to {incident.ref}.</span>{' '}
          <button ref={openRef} type="button" onClick={() => openIncident(incident.id)}>
            Open {incident.ref}
          </button>
        </>
      ) : (
        <button
          type="button"
          className="primary"
          onClick={() => {
            setError(null);
            attach(incident.id, runbook)
              .then(async () => {
                setAttachedTo(incident.id);
                await useCockpitStore.getState().refresh();
                requestAnimationFrame(() => openRef.current?.focus());
              })
              .catch((e: Error) => setError(`Not attached: ${e.message}`));
          }}
        >
          Attach to {incident.ref}
        </button>
      )}
      {error && <p role="alert">{error}</p>}
    </div>
  );
}
