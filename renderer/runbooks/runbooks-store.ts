import { create } from 'zustand';
import type { Method, ParamsOf } from '../../shared/api/contract.js';
import type { RunbookDetail, RunbookSummary, SearchHit, Suggestion } from '../../shared/runbooks/results.js';
import { rpc } from '../api/client.js';

/** The runbook methods' results are the shared result types; the client types params only. */
async function call<T>(method: Method, params: ParamsOf<Method>): Promise<T> {
  return (await rpc().call(method, params as never)) as T;
}

interface RunbooksState {
  query: string;
  /** Search hits, or the whole library (as summaries) while the query is empty. */
  results: Array<SearchHit | RunbookSummary>;
  searching: boolean;
  error: string | null;
  selected: RunbookDetail | null;
  setQuery(query: string): void;
  select(name: string, version?: number): Promise<void>;
}

let seq = 0;
let frame: number | null = null;

/**
 * The library view's state. Search runs in the core (FTS5, off the UI thread); typing coalesces
 * to at most one request per animation frame, and an answer that arrives after a newer query
 * was sent is dropped, so results never flicker back to an older query.
 */
export const useRunbooksStore = create<RunbooksState>()((set, get) => ({
  query: '',
  results: [],
  searching: false,
  error: null,
  selected: null,
  setQuery(query) {
    set({ query });
    if (frame !== null) return;
    const schedule = typeof requestAnimationFrame === 'function' ? requestAnimationFrame : (fn: () => void) => setTimeout(fn, 0) as unknown as number;
    frame = schedule(() => {
      frame = null;
      void runSearch(get().query);
    });
  },
  async select(name, version) {
    try {
      const selected = await call<RunbookDetail>('runbooks.get', version === undefined ? { name } : { name, version });
      set({ selected, error: null });
    } catch (e) {
      set({ error: (e as Error).message });
    }
  },
}));

async function runSearch(query: string): Promise<void> {
  const mine = ++seq;
  useRunbooksStore.setState({ searching: true });
  try {
    const results = query.trim()
      ? await call<SearchHit[]>('runbooks.search', { query, limit: 50 })
      : await call<RunbookSummary[]>('runbooks.list', {});
    if (mine === seq) useRunbooksStore.setState({ results, searching: false, error: null });
  } catch (e) {
    // A half-typed query (just `"`) is a message under the box, never a crash or an empty page.
    if (mine === seq) useRunbooksStore.setState({ searching: false, error: (e as Error).message });
  }
}

/**
 * A teammate's publish arrived: re-run what is on screen (the current query, and the runbook
 * open in the reader) so the library never shows a stale version.
 */
export function refreshLibrary(): void {
  const { query, selected } = useRunbooksStore.getState();
  void runSearch(query);
  if (selected) void useRunbooksStore.getState().select(selected.name);
}

/** Loads the library for the first time (the empty query lists every runbook). */
export function loadLibrary(): void {
  void runSearch(useRunbooksStore.getState().query);
}

export async function suggestFor(incidentId: string): Promise<Suggestion[]> {
  return call<Suggestion[]>('runbooks.suggest', { incidentId });
}

export async function attach(incidentId: string, name: string): Promise<void> {
  await call<{ attachId: string }>('runbooks.attach', { incidentId, name });
}
