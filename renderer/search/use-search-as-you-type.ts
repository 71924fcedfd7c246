import { useEffect, useRef, useState } from 'react';
import { RpcCallError } from '../../shared/api/rpc-client.js';
import { LatestOnlySearch } from './latest-only-search.js';

export interface SearchAnswer<T> {
  results: T | null;
  /** A sentence when the core refused the query (say, nothing but punctuation). */
  error: string | null;
}

/**
 * Asks the core as you type (the core's search is timed per keystroke by
 * bench/search-typing.bench.ts): one round trip per keystroke at most, with at most one in
 * flight, and only the answer to the latest query is shown (latest-only-search.ts). An empty
 * query clears the results without asking. With `settle`, a pause in typing asks once more for
 * the complete answer (LatestOnlySearch).
 */
/** How long the box must say the same thing before `settle` asks for the complete ranking. */
export const SETTLE_PAUSE_MS = 400;

export function useSearchAsYouType<T>(query: string, search: (q: string) => Promise<T>, settle?: (q: string) => Promise<T>): SearchAnswer<T> {
  const [answer, setAnswer] = useState<SearchAnswer<T>>({ results: null, error: null });
  const searchRef = useRef(search);
  const settleRef = useRef(settle);
  useEffect(() => {
    searchRef.current = search;
    settleRef.current = settle;
  });
  const [box] = useState(
    () =>
      new LatestOnlySearch<T>(
        (q) => searchRef.current(q),
        (a) =>
          setAnswer(
            'results' in a
              ? { results: a.results, error: null }
              : { results: null, error: a.error instanceof RpcCallError ? a.error.message : 'The search failed; try again.' },
          ),
        settle ? { search: (q) => settleRef.current!(q), pauseMs: SETTLE_PAUSE_MS } : undefined,
      ),
  );
  useEffect(() => {
    if (query.trim() === '') {
      box.clear();
      setAnswer({ results: null, error: null });
      return;
    }
    box.ask(query);
  }, [query, box]);
  // Closing the dialog drops an answer still on its way.
  useEffect(() => () => box.clear(), [box]);
  return answer;
}
