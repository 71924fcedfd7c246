import { useRef, useState, type ReactNode } from 'react';
import { useModalDialog } from '../dialogs/use-modal-dialog.js';
import { SearchResultList } from './SearchResultList.js';
import { useSearchStore, type SearchDialog as Which } from './search-store.js';
import { useSearchAsYouType } from './use-search-as-you-type.js';

interface SearchDialogProps<A, T> {
  which: Which;
  /** The dialog's and the box's accessible name. */
  label: string;
  /** False keeps it closed even when asked (the timeline search without an open incident). */
  available?: boolean;
  placeholder: string;
  empty: string;
  /** Asks the core for what `query` finds; called on every keystroke. */
  search: (query: string) => Promise<A>;
  /** Asked once typing pauses, when a keystroke's answer is cut short for speed (see useSearchAsYouType). */
  settle?: (query: string) => Promise<A>;
  hitsOf: (answer: A) => T[];
  keyOf: (hit: T) => string;
  render: (hit: T) => ReactNode;
  /** Runs once the dialog has closed and focus is back on the page. */
  onPick: (hit: T) => void;
  footer?: (answer: A) => ReactNode;
}

/**
 * A modal search: a box searched in the core as you type, results with their words highlighted,
 * Escape to leave. Picking a result closes the dialog, then runs onPick, so what it focuses
 * (a timeline entry) keeps the focus.
 */
export function SearchDialog<A, T>(props: SearchDialogProps<A, T>) {
  const open = useSearchStore((s) => s.open === props.which) && props.available !== false;
  const setOpen = useSearchStore((s) => s.setOpen);
  const inputRef = useRef<HTMLInputElement>(null);
  const { afterClose, dialogProps } = useModalDialog(open, () => inputRef.current, () => setOpen(null));
  const pick = (hit: T) => {
    afterClose(() => props.onPick(hit));
    setOpen(null);
  };
  return (
    <dialog {...dialogProps} className="search-dialog" aria-label={props.label}>
      {open && <SearchBody {...props} inputRef={inputRef} onPick={pick} />}
    </dialog>
  );
}

function SearchBody<A, T>(props: SearchDialogProps<A, T> & { inputRef: React.RefObject<HTMLInputElement | null> }) {
  const [query, setQuery] = useState('');
  const { results, error } = useSearchAsYouType(query, props.search, props.settle);
  return (
    <>
      <SearchResultList
        id={`${props.which}-search`}
        label={props.label}
        placeholder={props.placeholder}
        query={query}
        onQuery={setQuery}
        inputRef={props.inputRef}
        results={results === null ? null : props.hitsOf(results)}
        error={error}
        empty={props.empty}
        keyOf={props.keyOf}
        onPick={props.onPick}
        render={props.render}
      />
      {results !== null && props.footer?.(results)}
    </>
  );
}
