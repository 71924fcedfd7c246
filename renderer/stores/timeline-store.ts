import { create } from 'zustand';
import type { TimelineCursor } from '../../shared/api/contract.js';
import { compareEvents, type EventKind } from '../../shared/domain/events.js';
import type { TimelineItem } from '../../shared/domain/fold.js';
import { HLC_ZERO } from '../../shared/sync/hlc.js';
import { rpc } from '../api/client.js';
import type { TimelineWindow } from '../../shared/api/results.js';

/** Rows fetched per keyset window. */
export const WINDOW_ROWS = 100;
/** Rows kept in memory: past this, rows at the far end are dropped and re-fetched on return. */
export const MAX_ROWS = 1000;
/** A live refresh re-reads this many of the newest rows to pick up edits, pins and redactions. */
const LIVE_ROWS = 500;

export interface TimelineFilters {
  kinds: EventKind[];
  author: string;
  pinnedOnly: boolean;
}

export const NO_FILTERS: TimelineFilters = { kinds: [], author: '', pinnedOnly: false };

/**
 * The timeline as a sliding window over the core's keyset pages: never the whole timeline.
 * `shift` tells the list how many rows were added (+) or removed (-) above the reader's
 * place, so it can keep them looking at the same entry.
 */
interface TimelineState {
  incidentId: string | null;
  items: TimelineItem[];
  hasBefore: boolean;
  hasAfter: boolean;
  loading: boolean;
  filters: TimelineFilters;
  shift: { rows: number; seq: number };
  /** Newer entries exist below a reader who has scrolled far up. */
  newBelow: boolean;
  /** The entry a search jumped to, for the list to bring on screen and focus; `seq` repeats a jump. */
  target: { id: string; seq: number } | null;
  /** Loaded rows saved here and not yet acknowledged by the hub (each row shows a marker). */
  pending: ReadonlySet<string>;
  open(incidentId: string | null): Promise<void>;
  setFilters(filters: TimelineFilters): Promise<void>;
  loadOlder(): Promise<void>;
  loadNewer(): Promise<void>;
  jumpToNewest(): Promise<void>;
  refreshLive(): Promise<void>;
  /** Loads the window around an entry (however far back) without filters, and marks it the target. */
  jumpTo(entry: TimelineCursor): Promise<void>;
}

const cursorOf = (i: TimelineItem): TimelineCursor => ({ hlc: i.hlc, id: i.id });
/** Before every row: reading forward from here starts at the first entry. */
const TIMELINE_START: TimelineCursor = { hlc: HLC_ZERO, id: '00000000-0000-0000-0000-000000000000' };

function query(incidentId: string, f: TimelineFilters, extra: { before?: TimelineCursor; after?: TimelineCursor; limit: number }) {
  return rpc().call('timeline.window', {
    incidentId,
    ...extra,
    ...(f.kinds.length ? { kinds: f.kinds } : {}),
    ...(f.author.trim() ? { author: f.author.trim() } : {}),
    ...(f.pinnedOnly ? { pinned: true } : {}),
  });
}

/**
 * Merges the newest rows into the loaded ones. The fresh window is the truth for everything
 * from its first row on: that picks up edits, pins and redactions, and entries written offline
 * that arrive late but belong earlier in the timeline. Loaded rows older than it are kept.
 */
export function mergeLive(items: TimelineItem[], fresh: TimelineItem[]): TimelineItem[] {
  const first = fresh[0];
  if (!first) return items;
  return [...items.filter((r) => compareEvents(r, first) < 0), ...fresh];
}

/** The pending set after reading `w`: the window is the truth for its own rows, the rest stay as they were. */
export function mergePending(prev: ReadonlySet<string>, w: Pick<TimelineWindow, 'items' | 'pending'>): ReadonlySet<string> {
  const next = new Set(prev);
  for (const i of w.items) next.delete(i.id);
  for (const id of w.pending) next.add(id);
  return next;
}

// Each open/filter change starts a generation; answers from an older one are dropped.
let generation = 0;
let liveBusy = false;
let liveAgain = false;

export const useTimelineStore = create<TimelineState>()((set, get) => {
  const newest = async (incidentId: string, filters: TimelineFilters) => {
    const gen = ++generation;
    set({ loading: true });
    const w: TimelineWindow = await query(incidentId, filters, { limit: WINDOW_ROWS });
    if (gen !== generation) return;
    set({ items: w.items, pending: mergePending(new Set(), w), hasBefore: w.hasBefore, hasAfter: false, loading: false, newBelow: false });
  };

  return {
    incidentId: null,
    items: [],
    hasBefore: false,
    hasAfter: false,
    loading: false,
    filters: NO_FILTERS,
    shift: { rows: 0, seq: 0 },
    newBelow: false,
    target: null,
    pending: new Set<string>(),

    async open(incidentId) {
      set({ incidentId, items: [], hasBefore: false, hasAfter: false, filters: NO_FILTERS, newBelow: false });
      if (incidentId) await newest(incidentId, NO_FILTERS);
    },

    async setFilters(filters) {
      const id = get().incidentId;
      set({ filters, items: [] });
      if (id) await newest(id, filters);
    },

    async jumpToNewest() {
      const { incidentId, filters } = get();
      if (incidentId) await newest(incidentId, filters);
    },

    async loadOlder() {
      const { incidentId, items, hasBefore, loading, filters } = get();
      if (!incidentId || !hasBefore || loading || items.length === 0) return;
      const gen = generation;
      set({ loading: true });
      const w = await query(incidentId, filters, { before: cursorOf(items[0]!), limit: WINDOW_ROWS });
      if (gen !== generation) return;
      let next = [...w.items, ...get().items];
      let hasAfter = get().hasAfter;
      if (next.length > MAX_ROWS) {
        next = next.slice(0, MAX_ROWS);
        hasAfter = true;
      }
      set({ items: next, pending: mergePending(get().pending, w), hasBefore: w.hasBefore, hasAfter, loading: false, shift: { rows: w.items.length, seq: get().shift.seq + 1 } });
    },

    async loadNewer() {
      const { incidentId, items, hasAfter, loading, filters } = get();
      if (!incidentId || !hasAfter || loading || items.length === 0) return;
      const gen = generation;
      set({ loading: true });
      const w = await query(incidentId, filters, { after: cursorOf(items[items.length - 1]!), limit: WINDOW_ROWS });
      if (gen !== generation) return;
      let next = [...get().items, ...w.items];
      let hasBefore = get().hasBefore;
      let dropped = 0;
      if (next.length > MAX_ROWS) {
        dropped = next.length - MAX_ROWS;
        next = next.slice(dropped);
        hasBefore = true;
      }
      set({
        items: next,
        pending: mergePending(get().pending, w),
        hasAfter: w.hasAfter,
        hasBefore,
        loading: false,
        newBelow: w.hasAfter && get().newBelow,
        shift: dropped ? { rows: -dropped, seq: get().shift.seq + 1 } : get().shift,
      });
    },

    async jumpTo(entry) {
      const incidentId = get().incidentId;
      if (!incidentId) return;
      const gen = ++generation;
      set({ loading: true, filters: NO_FILTERS });
      // Half a window before the entry, then the entry and what follows: two keyset reads.
      const older = await query(incidentId, NO_FILTERS, { before: entry, limit: WINDOW_ROWS / 2 });
      const lastOlder = older.items[older.items.length - 1];
      const from = lastOlder ? cursorOf(lastOlder) : TIMELINE_START;
      const newer = await query(incidentId, NO_FILTERS, { after: from, limit: WINDOW_ROWS / 2 });
      if (gen !== generation) return;
      set({
        items: [...older.items, ...newer.items],
        hasBefore: older.hasBefore,
        hasAfter: newer.hasAfter,
        loading: false,
        newBelow: newer.hasAfter,
        target: { id: entry.id, seq: (get().target?.seq ?? 0) + 1 },
      });
    },

    async refreshLive() {
      // Bursts of notifications collapse into one re-read at a time, plus one trailing re-read.
      if (liveBusy) {
        liveAgain = true;
        return;
      }
      liveBusy = true;
      try {
        do {
          liveAgain = false;
          const { incidentId, filters, hasAfter } = get();
          if (!incidentId) return;
          if (hasAfter) {
            set({ newBelow: true });
            return;
          }
          const gen = generation;
          const w = await query(incidentId, filters, { limit: LIVE_ROWS });
          if (gen !== generation) return;
          let items = mergeLive(get().items, w.items);
          let hasBefore = get().items.length === 0 ? w.hasBefore : get().hasBefore;
          if (items.length > MAX_ROWS) {
            items = items.slice(items.length - MAX_ROWS);
            hasBefore = true;
          }
          set({ items, hasBefore, pending: mergePending(get().pending, w) });
        } while (liveAgain);
      } finally {
        liveBusy = false;
      }
    },
  };
});
