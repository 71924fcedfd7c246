import { useCallback, useEffect, useState } from 'react';
import type { MinutesReading } from '../../shared/api/calls-methods.js';
import { commanderOf } from '../../shared/domain/commander.js';
import type { IncidentState } from '../../shared/domain/fold.js';
import { rpc } from '../api/client.js';
import { useCockpitStore } from '../stores/cockpit-store.js';
import { useProfileStore, viewerZone } from '../stores/profile-store.js';
import { Time } from '../time/Time.js';
import { Markdown } from '../timeline/Markdown.js';

interface Props {
  incident: IncidentState;
  callId: string;
  first: React.RefObject<HTMLElement | null>;
  onDone: () => void;
}

/**
 * A call's minutes: rendered (sanitised) Markdown, in the reader's zone while they are still the
 * ones Conn wrote (minutes.read). Anyone may edit the draft; the scribe, the commander or a team
 * admin publishes it (the authority rule decides, and its sentence shows here when it refuses).
 * Export saves the Markdown as a file, like `conn minutes REF --out FILE`.
 */
export function MinutesDialog({ incident, callId, first, onDone }: Props) {
  const profile = useProfileStore((s) => s.profile);
  const zone = viewerZone(profile);
  const [reading, setReading] = useState<MinutesReading | null | undefined>(undefined);
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setReading(await rpc().call('minutes.read', { incidentId: incident.id, callId, timeZone: zone }));
    } catch (err) {
      setError((err as Error).message);
    }
  }, [incident.id, callId, zone]);
  useEffect(() => {
    void load();
  }, [load, incident.lastHlc]);
  // The dialog may open on the End call confirmation: focus moves to the minutes once they show.
  useEffect(() => {
    if (reading !== undefined) first.current?.focus();
  }, [reading === undefined, first]); // eslint-disable-line react-hooks/exhaustive-deps

  const me = profile?.name.toLowerCase() ?? '';
  const keeper = [commanderOf(incident)?.person, incident.roles['scribe']?.person].some((p) => p?.toLowerCase() === me);

  const write = async (how: 'draft' | 'publish') => {
    setBusy(true);
    setError(null);
    try {
      if (how === 'publish') await rpc().call('minutes.publish', { incidentId: incident.id, callId, ...(editing !== null ? { text: editing } : {}) });
      else await useCockpitStore.getState().appendTo(incident.id, 'minutes.written', { target: callId, text: editing ?? '', status: 'draft' }, { inDialog: true });
      setEditing(null);
      await load();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const exportFile = () => {
    if (!reading) return;
    const blob = new Blob([`${reading.text}\n`], { type: 'text/markdown' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `minutes-${incident.ref}-${callId.slice(0, 8)}.md`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  };

  const call = incident.calls.find((c) => c.id === callId);
  return (
    <div>
      <h2 id="call-dialog-heading" tabIndex={-1} ref={first as React.RefObject<HTMLHeadingElement>}>
        Minutes of {call?.title ?? 'the call'}
      </h2>
      {reading === undefined && <p>Loading the minutes…</p>}
      {reading === null && <p>No minutes yet: Conn drafts them when the call ends.</p>}
      {reading && (
        <>
          <p className="minutes-status" role="status">
            {reading.status === 'draft' ? 'Draft' : 'Published'} by {reading.author}, <Time iso={reading.at} />.{' '}
            {reading.localised || reading.timeZone === zone ? `Times in your zone (${zone}).` : `Edited minutes: times as written, in ${reading.timeZone ?? 'the writer\u2019s zone'}.`}
          </p>
          {editing === null ? (
            <div className="minutes-body" aria-label="Minutes">
              <Markdown text={reading.text} />
            </div>
          ) : (
            <label>
              Minutes (Markdown)
              <textarea rows={18} value={editing} onChange={(e) => setEditing(e.target.value)} autoFocus />
            </label>
          )}
          {!keeper && reading.status === 'draft' && <p className="muted">The scribe, the commander or a team admin publishes minutes; anyone may edit the draft.</p>}
        </>
      )}
      {error && <p role="alert">{error}</p>}
      <div className="dialog-actions">
        {reading && editing === null && (
          <>
            <button type="button" onClick={exportFile}>
              Export Markdown
            </button>
            <button type="button" onClick={() => setEditing(reading.text)}>
              Edit
            </button>
          </>
        )}
        {reading && editing !== null && (
          <button type="button" disabled={busy || !editing.trim()} onClick={() => void write('draft')}>
            Save draft
          </button>
        )}
        {reading && (reading.status === 'draft' || editing !== null) && (
          <button type="button" className="primary" disabled={busy} onClick={() => void write('publish')}>
            Publish
          </button>
        )}
        <button type="button" onClick={editing !== null ? () => setEditing(null) : onDone}>
          {editing !== null ? 'Cancel edit' : 'Close'}
        </button>
      </div>
    </div>
  );
}
