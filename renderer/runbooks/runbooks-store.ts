import { create } from 'zustand';
import type { RunbookDetail, RunbookSummary, SearchHit, Suggestion } from '../../shared/runbooks/results.js';
import { rpc } from '../api/client.js';

interface RunbooksState {
  query: string;
  /** Search hits, or the whole library (as summaries) while the query is empty. */
  results: Array<SearchHit | RunbookSummary>;
  error: string | null;
  selected: RunbookDetail | null;
  setQuery(query: string): void;
  select(name: string, version?: number): Promise<void>;
}

/**
 * At most one search is in flight: a query typed meanwhile waits here, and only the latest one
 * is sent when the answer arrives. Nothing waits for a frame or a debounce: a keystroke's search
 * leaves at once, so its results can be painted in the next frame.
 */
let inFlight = false;
let waiting: string | null = null;
/**
 * Every runbook, for the empty query: cleared when the library changes. Another process (a
 * `conn runbook import` in a terminal) changes it without telling this window, so an old copy is
 * shown at once and fetched again behind it.
 */
let library: { list: RunbookSummary[]; at: number } | null = null;
const LIBRARY_FRESH_MS = 30_000;
/** Bumped when the library changes, so a list fetched before the change is not kept. */
let libraryChanges = 0;

/**
 * The library view's state. Search runs in the core (FTS5, off the UI thread). An answer is shown
 * only while its query is still the one in the box, so results never flicker back to an older
 * query.
 */
export const useRunbooksStore = create<RunbooksState>()((set) => ({
  query: '',
  results: [],
  error: null,
  selected: null,
  setQuery(query) {
    set({ query });
    search(query);
  },
  async select(name, version) {
    try {
      const selected = await rpc().call('runbooks.get', version === undefined ? { name } : { name, version });
      set({ selected, error: null });
    } catch (e) {
      set({ error: (e as Error).message });
    }
  },
}));

function search(query: string): void {
  if (!query.trim() && library) {
    // Clearing the box shows the whole library again without waiting for the core's 10k rows.
    waiting = null;
    useRunbooksStore.setState({ results: library.list, error: null });
    if (Date.now() - library.at < LIBRARY_FRESH_MS) return;
  }
  if (inFlight) {
    waiting = query;
    return;
  }
  void runSearch(query);
}

async function runSearch(query: string): Promise<void> {
  inFlight = true;
  const current = (): boolean => useRunbooksStore.getState().query === query;
  try {
    if (query.trim()) {
      const results = await rpc().call('runbooks.search', { query, limit: 50 });
      if (current()) useRunbooksStore.setState({ results, error: null });
    } else {
      const changes = libraryChanges;
      const all = await rpc().call('runbooks.list', {});
      if (changes === libraryChanges) library = { list: all, at: Date.now() };
      if (current()) useRunbooksStore.setState({ results: all, error: null });
    }
  } catch (e) {
    // A half-typed query (just `"`) is a message under the box, never a crash or an empty page.
    if (current()) useRunbooksStore.setState({ error: (e as Error).message });
  } finally {
    inFlight = false;
    const next = waiting;
    waiting = null;
    if (next !== null) search(next);
  }
}

/**
 * A teammate's publish arrived: re-run what is on screen (the current query, and the runbook
 * open in the reader) so the library never shows a stale version.
 */
export function refreshLibrary(): void {
  library = null;
  libraryChanges++;
  const { query, selected } = useRunbooksStore.getState();
  search(query);
  if (selected) void useRunbooksStore.getState().select(selected.name);
}

/** Opening the view: the current query again, with the list fetched fresh (the empty query lists every runbook). */
export function loadLibrary(): void {
  library = null;
  search(useRunbooksStore.getState().query);
}

export async function suggestFor(incidentId: string): Promise<Suggestion[]> {
  return rpc().call('runbooks.suggest', { incidentId });
}

export async function attach(incidentId: string, name: string): Promise<void> {
  await rpc().call('runbooks.attach', { incidentId, name });
}
