import { useRef } from 'react';
import { useModalDialog } from '../dialogs/use-modal-dialog.js';
import { confirmCopy } from './change-rules.js';
import { currentCadence, useCadenceStore } from '../updates/cadence-store.js';
import { useChangeStore } from './change-store.js';

/**
 * "Resolve INC-…?": asked before resolving, closing or lowering severity, wherever that was
 * triggered. An alertdialog whose focus starts on Cancel, so the Enter that opened it (or a
 * second one) cannot confirm it; Escape cancels too. Confirming takes a Tab, or a click.
 */
export function ConfirmChangeDialog() {
  const pending = useChangeStore((s) => s.pending);
  const cancel = useChangeStore((s) => s.cancel);
  const confirm = useChangeStore((s) => s.confirm);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const { dialogProps } = useModalDialog(pending !== null, () => cancelRef.current, () => cancel());
  const cadence = useCadenceStore(currentCadence);
  const copy = pending ? confirmCopy(pending, cadence) : null;

  return (
    <dialog
      {...dialogProps}
      role="alertdialog"
      className="confirm-dialog"
      aria-labelledby="confirm-change-title"
      aria-describedby="confirm-change-body"
    >
      {copy && (
        <>
          <h2 id="confirm-change-title">{copy.title}</h2>
          <p id="confirm-change-body">{copy.body}</p>
          <div className="dialog-actions">
            <button type="button" ref={cancelRef} onClick={cancel}>
              Cancel
            </button>
            <button type="button" className="danger" onClick={() => void confirm()}>
              {copy.confirmLabel}
            </button>
          </div>
        </>
      )}
    </dialog>
  );
}
