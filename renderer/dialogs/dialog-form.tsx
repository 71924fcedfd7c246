import { useState, type ReactNode } from 'react';

/*
 * What every form dialog shares: a save that shows "busy" while it runs and keeps the dialog
 * open with the core's sentence when it is refused (nothing changed, the person can fix it),
 * and a footer with that sentence, Cancel and the dialog's own verb.
 */

export interface DialogSave {
  busy: boolean;
  error: string | null;
  setError(error: string | null): void;
  /** Runs the write; closes with `onDone` when it succeeds, shows the refusal when it does not. */
  save(write: () => Promise<unknown>): Promise<void>;
}

export function useDialogSave(onDone: () => void): DialogSave {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return {
    busy,
    error,
    setError,
    async save(write) {
      setBusy(true);
      try {
        await write();
        onDone();
      } catch (err) {
        setError((err as Error).message);
      } finally {
        setBusy(false);
      }
    },
  };
}

/** The refusal (if any), then Cancel and the submit button named for what it does. */
export function DialogFooter({ error, busy, onCancel, children }: { error: string | null; busy: boolean; onCancel: () => void; children: ReactNode }) {
  return (
    <>
      {error && <p role="alert">{error}</p>}
      <div className="dialog-actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={busy}>
          {children}
        </button>
      </div>
    </>
  );
}
