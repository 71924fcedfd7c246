import type { Virtualizer } from '@tanstack/react-virtual';
import { useLayoutEffect, useRef, type RefObject } from 'react';
import type { TimelineItem } from '../../shared/domain/fold.js';
import { useTimelineStore } from '../stores/timeline-store.js';

/** Frames to wait for the virtualised row to be rendered at its place before giving up. */
const MAX_FRAMES = 30;
const FLASH_MS = 2000;

/**
 * Brings the entry a search jumped to (timeline-store's `target`) on screen, focuses it and
 * flashes it. The list is virtualised, so the row exists only once the list has scrolled to it:
 * scroll, then look for the row each frame until it is rendered.
 */
export function useJumpToTarget(virtualizer: Virtualizer<HTMLDivElement, Element>, items: TimelineItem[], scroller: RefObject<HTMLDivElement | null>, onJump: () => void): void {
  const target = useTimelineStore((s) => s.target);
  const handled = useRef(0);
  const onJumpRef = useRef(onJump);
  useLayoutEffect(() => {
    onJumpRef.current = onJump;
  });
  useLayoutEffect(() => {
    if (!target || target.seq === handled.current) return;
    const index = items.findIndex((i) => i.id === target.id);
    if (index < 0) return;
    handled.current = target.seq;
    onJumpRef.current();
    let frames = 0;
    const find = () => {
      const row = scroller.current?.querySelector<HTMLElement>(`[data-index="${index}"]`);
      if (!row || frames === 0) {
        virtualizer.scrollToIndex(index, { align: 'center' });
        if (frames++ < MAX_FRAMES) requestAnimationFrame(find);
        return;
      }
      row.tabIndex = -1;
      row.classList.add('search-target');
      row.focus();
      setTimeout(() => row.classList.remove('search-target'), FLASH_MS);
    };
    find();
  }, [target, items, virtualizer, scroller]);
}
