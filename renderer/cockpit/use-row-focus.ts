import { useEffect, useRef } from 'react';

/**
 * A row whose buttons change with its state (Done → Reopen): the button a keyboard user just
 * pressed is gone once the new state arrives, and focus would fall to the page. `acted()` before
 * the write; when `state` changes, focus moves to the row's first button.
 */
export function useRowFocus<T extends HTMLElement>(state: string) {
  const ref = useRef<T>(null);
  const pending = useRef(false);
  useEffect(() => {
    if (!pending.current) return;
    pending.current = false;
    if (!ref.current?.contains(document.activeElement)) ref.current?.querySelector<HTMLElement>('button')?.focus();
  }, [state]);
  return {
    ref,
    acted: () => {
      pending.current = true;
    },
    /** The write was refused: the state will not change, and a later change is not ours. */
    refused: () => {
      pending.current = false;
    },
  };
}
