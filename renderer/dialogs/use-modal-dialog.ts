import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, type KeyboardEvent, type RefObject, type SyntheticEvent } from 'react';
import { focusBackOrHome } from '../keyboard/focus-home.js';

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** What Tab can reach inside `root`, in order; of a radio group only its checked radio (or its first). */
function tabbables(root: HTMLElement): HTMLElement[] {
  const all = [...root.querySelectorAll<HTMLElement>(FOCUSABLE)];
  return all.filter((el) => {
    if (!(el instanceof HTMLInputElement) || el.type !== 'radio') return true;
    const group = all.filter((o): o is HTMLInputElement => o instanceof HTMLInputElement && o.type === 'radio' && o.name === el.name);
    return el.checked || (!group.some((o) => o.checked) && group[0] === el);
  });
}

/**
 * A modal <dialog> shown while `open`. showModal() already makes the page inert and turns
 * Escape into `close`; on top of that this:
 * - keeps Tab inside the dialog (the browser would let it wander off to its own toolbar);
 * - gives focus back to where it was once the dialog closes, after the commit that lifted
 *   `inert` from the page (an inert element cannot take focus);
 * - then runs what the dialog asked to run after closing (`afterClose`): a choice that opens
 *   another dialog (a confirmation) must wait until focus is back on the page, or the next
 *   dialog would have nowhere to give focus back to.
 * Open and close happen in a layout effect, so a closing dialog never paints empty.
 */
/**
 * Escape and the close event, made safe against a quick hand. Escape closes a <dialog> natively
 * at once but only queues its 'close' event, and Chromium runs a waiting keypress before that
 * queued task: Escape then Ctrl+K used to reopen the palette and have the late 'close' shut it
 * again (or a late 'close' of another dialog pull focus away from the one just opened). So:
 * - 'cancel' (synchronous with the Escape) keeps the dialog open natively and dismisses it in
 *   the store at once; React closes it in the same turn;
 * - a 'close' that arrives when the dialog is open again is stale and ignored.
 * Where the browser does not let 'cancel' be prevented (no user activation since the last one),
 * the dialog closes natively, and the store has already been told.
 */
export function dismissHandlers(ref: RefObject<HTMLDialogElement | null>, onDismiss: () => void) {
  return {
    onCancel: (e: SyntheticEvent<HTMLDialogElement>) => {
      e.preventDefault();
      onDismiss();
    },
    onClose: () => {
      if (!ref.current?.open) onDismiss();
    },
  };
}

export function useModalDialog(open: boolean, initialFocus: (() => HTMLElement | null) | undefined, onDismiss: () => void) {
  const ref = useRef<HTMLDialogElement>(null);
  const returnTo = useRef<Element | null>(null);
  const after = useRef<(() => void) | null>(null);
  const focusFirst = useRef(initialFocus);
  useEffect(() => {
    focusFirst.current = initialFocus;
  });

  useLayoutEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      returnTo.current = document.activeElement;
      d.showModal();
      focusFirst.current?.()?.focus();
    } else if (!open) {
      if (d.open) d.close();
      const back = returnTo.current;
      returnTo.current = null;
      // The opener may be gone (an Attach button whose suggestion was taken): then home, never the body.
      if (back !== null) focusBackOrHome(back);
      const run = after.current;
      after.current = null;
      run?.();
    }
  }, [open]);

  const onKeyDown = useCallback((e: KeyboardEvent<HTMLDialogElement>) => {
    const d = ref.current;
    if (e.key !== 'Tab' || !d) return;
    const items = tabbables(d);
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) return;
    if (e.shiftKey && (document.activeElement === first || !d.contains(document.activeElement))) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  }, []);

  const afterClose = useCallback((run: () => void) => {
    after.current = run;
  }, []);

  const dismiss = useRef(onDismiss);
  useEffect(() => {
    dismiss.current = onDismiss;
  });
  /** Spread on the <dialog>: its ref, Tab trap, and the Escape/close handling above. */
  const dialogProps = useMemo(() => ({ ref, onKeyDown, ...dismissHandlers(ref, () => dismiss.current()) }), [onKeyDown]);

  return { ref, onKeyDown, afterClose, dialogProps };
}
