import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useJumpToTarget } from '../search/use-jump-to-target.js';
import { useCockpitStore } from '../stores/cockpit-store.js';
import { useProfileStore, viewerZone } from '../stores/profile-store.js';
import { NO_FILTERS, useTimelineStore } from '../stores/timeline-store.js';
import { useUiStore } from '../stores/ui-store.js';
import { TimelineEntry } from './TimelineEntry.js';
import { dayOf, startsDay } from './row-text.js';

/** Start fetching the next window when the reader is this many rows from a loaded end. */
const PREFETCH_ROWS = 20;

const filtered = (f: typeof NO_FILTERS) => f.kinds.length > 0 || f.author.trim() !== '' || f.pinnedOnly;

/**
 * The timeline, virtualised: only the rows on screen are in the DOM, and only the keyset
 * windows near the reader are in memory. Newest at the bottom; a reader at the bottom stays
 * there as entries arrive, a reader scrolled up keeps their place.
 *
 * One tab stop (roving focus): the active row is the list's only tabbable element, j/k (or the
 * arrows) move it, Home/End jump to the ends; p, e and Enter act on it (see TimelineEntry).
 * When the active row is scrolled out of the DOM the scroller itself takes the tab stop and
 * hands focus to the active row.
 */
export function Timeline() {
  const { items, pending, hasBefore, hasAfter, loadOlder, loadNewer, shift, newBelow, jumpToNewest, filters, setFilters } = useTimelineStore();
  const runbooks = useCockpitStore((s) => s.incident?.runbooks ?? []);
  const showUtc = useUiStore((s) => s.showUtc);
  const profileZone = viewerZone(useProfileStore((s) => s.profile));
  const zone = showUtc ? 'UTC' : profileZone;
  const timelineMove = useUiStore((s) => s.timelineMove);
  const parentRef = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const lastShift = useRef(shift.seq);
  const [activeId, setActiveId] = useState<string | null>(null);
  /** The row to focus as soon as it is rendered (after a scroll brings it into the DOM). */
  const focusWanted = useRef<string | null>(null);

  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => parentRef.current,
    estimateSize: () => 30,
    overscan: 8,
    getItemKey: (i) => items[i]!.id,
  });
  const rows = virtualizer.getVirtualItems();
  const activeIndex = Math.max(
    0,
    activeId ? items.findIndex((i) => i.id === activeId) : items.length - 1,
  );
  const effectiveActive = items[activeIndex]?.id ?? null;
  const activeRendered = rows.some((r) => r.index === activeIndex);

  // Rows added or dropped above the reader: move by as many rows so the same entry stays put.
  useLayoutEffect(() => {
    if (shift.seq === lastShift.current) return;
    lastShift.current = shift.seq;
    // The first row on screen, not the first rendered one: those include the overscan above it.
    const offset = virtualizer.scrollOffset ?? 0;
    const first = virtualizer.getVirtualItems().find((v) => v.end > offset)?.index ?? 0;
    virtualizer.scrollToIndex(Math.max(0, first + shift.rows), { align: 'start' });
  }, [shift, virtualizer]);

  // Follow the newest entry while the reader is at the bottom.
  useLayoutEffect(() => {
    if (atBottom.current && items.length > 0) virtualizer.scrollToIndex(items.length - 1, { align: 'end' });
  }, [items.length, virtualizer]);

  // A search's hit, however far back: on screen, focused, and no longer following the newest.
  useJumpToTarget(virtualizer, items, parentRef, () => (atBottom.current = false));

  // Hand focus to a row once it is in the DOM.
  useLayoutEffect(() => {
    const id = focusWanted.current;
    if (!id) return;
    const el = parentRef.current?.querySelector<HTMLElement>(`[data-entry-id="${id}"]`);
    if (el) {
      focusWanted.current = null;
      el.focus({ preventScroll: true });
    }
  });

  const focusIndex = (index: number) => {
    const item = items[Math.min(Math.max(index, 0), items.length - 1)];
    if (!item) {
      parentRef.current?.focus();
      return;
    }
    setActiveId(item.id);
    focusWanted.current = item.id;
    virtualizer.scrollToIndex(items.indexOf(item), { align: 'auto' });
  };

  // j/k pressed anywhere outside a text field: move from the active row (entering the list at it).
  const lastMove = useRef(timelineMove.seq);
  useEffect(() => {
    if (timelineMove.seq === lastMove.current) return;
    lastMove.current = timelineMove.seq;
    const inList = parentRef.current?.contains(document.activeElement) ?? false;
    focusIndex(inList ? activeIndex + timelineMove.delta : activeIndex);
    // focusIndex reads the current rows; only a new move should run it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [timelineMove.seq]);

  const first = rows[0]?.index;
  const last = rows[rows.length - 1]?.index;
  useEffect(() => {
    if (first === undefined || last === undefined) return;
    if (hasBefore && first < PREFETCH_ROWS) void loadOlder();
    else if (hasAfter && last > items.length - PREFETCH_ROWS) void loadNewer();
  }, [first, last, hasBefore, hasAfter, items.length, loadOlder, loadNewer]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    // Keys typed in a row's edit box or redaction reason belong to that box.
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement) return;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const moves: Record<string, number> = { j: 1, ArrowDown: 1, k: -1, ArrowUp: -1 };
    let to: number | null = null;
    if (e.key in moves) to = activeIndex + moves[e.key]!;
    else if (e.key === 'Home') to = 0;
    else if (e.key === 'End') to = items.length - 1;
    if (to === null) return;
    // j/k are handled here, not again by the window's shortcuts.
    e.preventDefault();
    e.stopPropagation();
    focusIndex(to);
  };

  const showFilters = filtered(filters);
  return (
    <div className="timeline-wrap">
      <div
        ref={parentRef}
        className="timeline-scroll"
        // The tab stop is the active row; the scroller takes it only while that row is not rendered.
        tabIndex={activeRendered ? -1 : 0}
        role="region"
        aria-label="Timeline entries"
        onFocus={(e) => {
          if (e.target === e.currentTarget && items.length > 0) focusIndex(activeIndex);
        }}
        onKeyDown={onKeyDown}
        onScroll={(e) => {
          const el = e.currentTarget;
          atBottom.current = !hasAfter && el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        }}
      >
        <div role="list" aria-label="Timeline" aria-busy={items.length === 0 && hasBefore} style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {rows.map((row) => {
            const item = items[row.index]!;
            const newDay = startsDay((i) => items[i]!.at, row.index, zone);
            return (
              <div
                key={row.key}
                role="listitem"
                data-index={row.index}
                ref={virtualizer.measureElement}
                className="timeline-row"
                style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${row.start}px)` }}
              >
                {newDay && (
                  <div className="day-separator">
                    {dayOf(item.at, zone).label} <span className="muted">· {zone}</span>
                  </div>
                )}
                <TimelineEntry
                  item={item}
                  pending={pending.has(item.id)}
                  runbooks={runbooks}
                  zone={zone}
                  tabbable={item.id === effectiveActive}
                  onFocusRow={() => setActiveId(item.id)}
                />
              </div>
            );
          })}
        </div>
        {items.length === 0 && !hasBefore &&
          (showFilters ? (
            <div className="empty">
              <p>No entry matches these filters.</p>
              <button type="button" onClick={() => void setFilters(NO_FILTERS)}>
                Clear filters
              </button>
            </div>
          ) : (
            <p className="empty">Nothing here yet. Type below and press Enter.</p>
          ))}
      </div>
      {newBelow && (
        <button type="button" className="new-below" onClick={() => void jumpToNewest()}>
          New entries below — jump to newest
        </button>
      )}
    </div>
  );
}
