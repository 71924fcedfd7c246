import { useRef } from 'react';
import { useModalDialog } from '../dialogs/use-modal-dialog.js';
import { SHORTCUTS } from '../palette/shortcuts.js';
import { useUiStore } from '../stores/ui-store.js';

/** "?": every single-key shortcut in one list. Esc or Close returns focus where it was. */
export function ShortcutsHelp() {
  const open = useUiStore((s) => s.helpOpen);
  const setOpen = useUiStore((s) => s.setHelpOpen);
  const closeRef = useRef<HTMLButtonElement>(null);
  const { dialogProps } = useModalDialog(open, () => closeRef.current, () => setOpen(false));
  return (
    <dialog {...dialogProps} className="form-dialog help-dialog" aria-labelledby="help-heading">
      <h2 id="help-heading">Keyboard shortcuts</h2>
      <p className="field-hint">Single keys work anywhere outside a text field; Esc leaves a field.</p>
      <table className="shortcuts">
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.key}>
              <th scope="row">
                <kbd>{s.key}</kbd>
              </th>
              <td>{s.what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="dialog-actions">
        <button ref={closeRef} type="button" onClick={() => setOpen(false)}>
          Close
        </button>
      </div>
    </dialog>
  );
}
