import { useEffect, useRef, useState, type FormEvent } from 'react';
import { rpc } from '../api/client.js';
import type { SyncStatus } from '../../shared/api/results.js';
import { useSyncStore } from '../stores/sync-store.js';
import { useUiStore } from '../stores/ui-store.js';
import { focusBackOrHome } from '../keyboard/focus-home.js';
import { syncExplanation } from './sync-explanation.js';
import { dismissHandlers } from '../dialogs/use-modal-dialog.js';

const STATE = { disabled: 'Not connected', offline: 'Offline', connecting: 'Connecting', online: 'Online', error: 'Refused' } as const;

/**
 * "Hub connection": connect this cockpit to a hub (or another one), or disconnect, while it runs
 * (sync.connect / sync.disconnect). A modal <dialog>: the browser traps focus and Escape closes
 * it; focus starts in "Hub URL" and returns to whatever opened the dialog.
 */
export function HubDialog() {
  const open = useUiStore((s) => s.hubOpen);
  const setOpen = useUiStore((s) => s.setHubOpen);
  const status = useSyncStore((s) => s.status);
  const coreConnected = useSyncStore((s) => s.coreConnected);
  /** What was typed for an attempt that failed: kept, dialog closed or not, until one succeeds. */
  const failedDraft = useRef<{ url: string; token: string; error: string } | null>(null);
  const ref = useRef<HTMLDialogElement>(null);
  const urlRef = useRef<HTMLInputElement>(null);
  const returnTo = useRef<Element | null>(null);
  const [url, setUrl] = useState('');
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      returnTo.current = document.activeElement;
      const kept = failedDraft.current;
      setUrl(kept?.url ?? useSyncStore.getState().status?.hub ?? '');
      setToken(kept?.token ?? '');
      setError(kept?.error ?? null);
      void useSyncStore.getState().refresh();
      d.showModal();
      urlRef.current?.focus();
    } else if (!open) {
      if (d.open) d.close();
      // After the commit that lifted `inert` from the page: an inert element cannot take focus.
      const back = returnTo.current;
      returnTo.current = null;
      if (back !== null) focusBackOrHome(back);
    }
  }, [open]);

  const close = () => setOpen(false);

  async function run(call: () => Promise<SyncStatus>) {
    setBusy(true);
    setError(null);
    try {
      const s = await call();
      useSyncStore.setState({ status: s });
      // The token is dropped only once the hub took it; a refused one stays to be corrected.
      if (s.state === 'online' || s.state === 'disabled') {
        setToken('');
        failedDraft.current = null;
      } else if (s.error) failedDraft.current = { url, token, error: s.error };
    } catch (err) {
      setError((err as Error).message);
      failedDraft.current = { url, token, error: (err as Error).message };
    } finally {
      setBusy(false);
    }
  }

  function connect(e: FormEvent) {
    e.preventDefault();
    if (!url.trim()) {
      setError("Give the hub's address, e.g. http://hub.example.com:7340");
      urlRef.current?.focus();
      return;
    }
    if (!token.trim()) {
      setError('Paste the token `conn hub invite` printed for you.');
      return;
    }
    void run(() => rpc().call('sync.connect', { url: url.trim(), token: token.trim() }));
  }

  const connected = !!status && status.state !== 'disabled';
  // An error the core reports about the hub (a refused token, an unreachable address).
  const hubError = connected && (status.state === 'error' || status.state === 'offline') ? status.error : undefined;
  return (
    <dialog ref={ref} className="hub-dialog" aria-labelledby="hub-heading" aria-describedby="hub-current" {...dismissHandlers(ref, close)}>
      <form onSubmit={connect}>
        <h2 id="hub-heading">Hub connection</h2>
        <p id="hub-current" className="hub-current">
          {connected ? `${STATE[status.state]}: ${status.hub ?? 'a hub'}` : 'Not connected to a hub: entries stay on this machine.'}
        </p>
        <p className="field-hint sync-explained">{syncExplanation(coreConnected, status)}</p>
        <label>
          Hub URL
          <input ref={urlRef} name="url" inputMode="url" value={url} onChange={(e) => setUrl(e.target.value)} autoComplete="off" spellCheck={false} placeholder="http://hub.example.com:7340" />
        </label>
        <label>
          Token
          <input name="token" type="password" value={token} onChange={(e) => setToken(e.target.value)} autoComplete="off" spellCheck={false} />
        </label>
        {(error ?? hubError) && <p role="alert">{error ?? hubError}</p>}
        <div className="dialog-actions">
          <button type="button" onClick={close}>
            Close
          </button>
          {/* Only offered when there is a hub to disconnect from. */}
          {connected && (
            <button type="button" disabled={busy} onClick={() => void run(() => rpc().call('sync.disconnect', {}))}>
              Disconnect
            </button>
          )}
          <button type="submit" className="primary" disabled={busy}>
            Connect
          </button>
        </div>
      </form>
    </dialog>
  );
}
