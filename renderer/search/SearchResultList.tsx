import { useState, type KeyboardEvent, type ReactNode } from 'react';

/**
 * A search box over a list of results: arrows move the active result (announced through
 * aria-activedescendant, so focus stays in the box and typing goes on), Enter or a click picks it.
 */
export function SearchResultList<T>({
  id,
  label,
  placeholder,
  query,
  onQuery,
  inputRef,
  results,
  error,
  empty,
  keyOf,
  render,
  onPick,
}: {
  id: string;
  label: string;
  placeholder: string;
  query: string;
  onQuery: (q: string) => void;
  inputRef: React.RefObject<HTMLInputElement | null>;
  results: T[] | null;
  error: string | null;
  empty: string;
  keyOf: (r: T) => string;
  render: (r: T) => ReactNode;
  onPick: (r: T) => void;
}) {
  const [active, setActive] = useState(0);
  const list = results ?? [];
  const current = Math.min(active, Math.max(0, list.length - 1));
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (list.length) setActive((current + (e.key === 'ArrowDown' ? 1 : list.length - 1)) % list.length);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const pick = list[current];
      if (pick) onPick(pick);
    }
  };
  const optionId = (i: number) => `${id}-option-${i}`;
  return (
    <div className="search-box">
      <input
        ref={inputRef}
        // Not type="search": there Escape first clears the box, and a second press is needed to close.
        type="text"
        role="combobox"
        aria-label={label}
        aria-expanded={list.length > 0}
        aria-controls={`${id}-results`}
        aria-activedescendant={list.length ? optionId(current) : undefined}
        aria-autocomplete="list"
        placeholder={placeholder}
        value={query}
        onChange={(e) => {
          setActive(0);
          onQuery(e.target.value);
        }}
        onKeyDown={onKeyDown}
      />
      {error && <p role="alert">{error}</p>}
      {results !== null && list.length === 0 && !error && <p className="muted" role="status">{empty}</p>}
      <ul id={`${id}-results`} role="listbox" aria-label={`${label}: results`} className="search-results">
        {list.map((r, i) => (
          <li key={keyOf(r)} id={optionId(i)} role="option" aria-selected={i === current} onMouseEnter={() => setActive(i)} onClick={() => onPick(r)}>
            {render(r)}
          </li>
        ))}
      </ul>
    </div>
  );
}
