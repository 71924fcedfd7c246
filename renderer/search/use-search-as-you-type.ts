import { useEffect, useRef, useState } from 'react';
import { RpcCallError } from '../../shared/api/rpc-client.js';

export interface SearchAnswer<T> {
  results: T | null;
  /** A sentence when the core refused the query (say, nothing but punctuation). */
  error: string | null;
}

/**
 * Asks the core on every keystroke (the core answers within a frame, bench/search.bench.ts) and
 * keeps only the answer to the latest query, so a slow early answer never replaces a later one.
 * An empty query clears the results without asking.
 */
export function useSearchAsYouType<T>(query: string, search: (q: string) => Promise<T>): SearchAnswer<T> {
  const [answer, setAnswer] = useState<SearchAnswer<T>>({ results: null, error: null });
  const latest = useRef(0);
  const searchRef = useRef(search);
  useEffect(() => {
    searchRef.current = search;
  });
  useEffect(() => {
    const asked = ++latest.current;
    if (query.trim() === '') {
      setAnswer({ results: null, error: null });
      return;
    }
    searchRef.current(query).then(
      (results) => {
        if (asked === latest.current) setAnswer({ results, error: null });
      },
      (err: unknown) => {
        if (asked !== latest.current) return;
        setAnswer({ results: null, error: err instanceof RpcCallError ? err.message : 'The search failed; try again.' });
      },
    );
  }, [query]);
  return answer;
}
