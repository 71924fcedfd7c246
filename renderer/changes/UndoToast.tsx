import { useEffect, useRef, useState } from 'react';
import { useUiStore } from '../stores/ui-store.js';
import { describeChange } from './change-rules.js';
import { UNDO_WINDOW_MS, useUndoStore } from './undo-store.js';

/** How long the outcome of an undo stays on screen. */
const NOTICE_MS = 6_000;

/**
 * After a status or severity change: "INC-… status: identified → resolved  [Undo] [×]" for
 * 10 seconds. Ctrl/Cmd+Z undoes while it shows (shortcuts.ts) and Undo is a focusable button.
 * The countdown pauses while the pointer or focus is on the toast, so someone who reached for
 * Undo does not lose it while deciding. The sentence is in a polite live region; focus is
 * never moved here, since that would pull the caret out of the composer mid-sentence.
 */
export function UndoToast() {
  const offer = useUndoStore((s) => s.offer);
  const notice = useUndoStore((s) => s.notice);
  const undo = useUndoStore((s) => s.undo);
  const dismiss = useUndoStore((s) => s.dismiss);
  const clearNotice = useUndoStore((s) => s.clearNotice);
  const [hovered, setHovered] = useState(false);
  const [focused, setFocused] = useState(false);
  const paused = hovered || focused;
  const remaining = useRef(UNDO_WINDOW_MS);
  const rootRef = useRef<HTMLDivElement>(null);
  const seq = offer?.seq;

  // Each new offer gets the full window. (Declared before the timer: effects run in order.)
  useEffect(() => {
    remaining.current = UNDO_WINDOW_MS;
  }, [seq]);

  useEffect(() => {
    if (seq === undefined || paused) return;
    const started = Date.now();
    const timer = setTimeout(() => dismiss(seq), remaining.current);
    return () => {
      clearTimeout(timer);
      remaining.current -= Date.now() - started;
    };
  }, [seq, paused, dismiss]);

  useEffect(() => {
    if (!notice || paused) return;
    const timer = setTimeout(clearNotice, NOTICE_MS);
    return () => clearTimeout(timer);
  }, [notice, paused, clearNotice]);

  const text = offer ? `Changed ${describeChange(offer.change)}.` : (notice ?? '');
  const shown = text !== '';

  // A button pressed here goes away with the toast, and focus would fall to <body>: put the caret
  // back in the composer, where openIncident puts it too.
  const thenBack = (act: () => void) => () => {
    setFocused(false);
    if (useUiStore.getState().view === 'cockpit') useUiStore.getState().focusComposer();
    act();
  };

  return (
    <div
      ref={rootRef}
      className={shown ? 'toast' : 'toast toast-empty'}
      onMouseEnter={() => setHovered(true)}
      onMouseLeave={() => setHovered(false)}
      onFocus={() => setFocused(true)}
      onBlur={(e) => {
        if (!rootRef.current?.contains(e.relatedTarget as Node | null)) setFocused(false);
      }}
    >
      <p role="status" className="toast-text">
        {text}
      </p>
      {offer && (
        <button type="button" className="primary" aria-keyshortcuts="Control+Z Meta+Z" onClick={thenBack(() => void undo())}>
          Undo <kbd aria-hidden="true">Ctrl Z</kbd>
        </button>
      )}
      {shown && (
        <button type="button" aria-label="Dismiss" title="Dismiss" onClick={thenBack(() => (offer ? dismiss(offer.seq) : clearNotice()))}>
          ×
        </button>
      )}
    </div>
  );
}
