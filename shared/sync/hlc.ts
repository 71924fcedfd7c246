import { z } from 'zod';

/**
 * A hybrid logical clock stamp, written as a fixed-width string "WWWWWWWWWWWWW-CCCCC": wall
 * milliseconds since the epoch (13 digits, good until 2286) and a logical counter (5 digits).
 * Fixed width means string order is time order, so SQLite can index and compare stamps as TEXT.
 * Ties between stamps are broken by the event id, never by arrival order.
 */
export const HlcSchema = z.string().regex(/^\d{13}-\d{5}$/, 'not a clock stamp (expected 13 digits, "-", 5 digits)');
export type Hlc = z.infer<typeof HlcSchema>;

export interface HlcState {
  readonly wall: number;
  readonly counter: number;
}

const MAX_COUNTER = 99_999;

export const HLC_ZERO: Hlc = formatHlc({ wall: 0, counter: 0 });

export function formatHlc(s: HlcState): Hlc {
  return `${String(s.wall).padStart(13, '0')}-${String(s.counter).padStart(5, '0')}`;
}

export function parseHlc(stamp: Hlc): HlcState {
  // The fixed-width form (one '-', at 13) without split's array: the clock reads every pulled stamp.
  if (stamp.length === 19 && stamp.indexOf('-') === 13 && stamp.indexOf('-', 14) === -1) {
    return { wall: Number(stamp.slice(0, 13)), counter: Number(stamp.slice(14)) };
  }
  const [wall, counter] = stamp.split('-');
  return { wall: Number(wall), counter: Number(counter) };
}

/** The wall-clock part of a stamp, as a Date: what the timeline shows as "when". */
export function hlcToDate(stamp: Hlc): Date {
  return new Date(parseHlc(stamp).wall);
}

export class ClockDriftError extends Error {
  readonly code = 'clock-drift';
  constructor(readonly aheadMs: number) {
    super(`a clock stamp is ${Math.round(aheadMs / 1000)}s ahead of this machine's clock; check the sender's system time`);
  }
}

/** Stamp a local event: never goes backwards, even if the wall clock does. */
export function tick(prev: HlcState, nowMs: number): HlcState {
  if (nowMs > prev.wall) return { wall: nowMs, counter: 0 };
  if (prev.counter >= MAX_COUNTER) return { wall: prev.wall + 1, counter: 0 };
  return { wall: prev.wall, counter: prev.counter + 1 };
}

/**
 * Merge a stamp seen on a remote event, so that our next local stamp sorts after it.
 * A stamp further ahead than maxDriftMs is refused rather than adopted: adopting it would drag
 * every later local event into the future with it.
 */
export function receive(prev: HlcState, remote: HlcState, nowMs: number, maxDriftMs: number): HlcState {
  if (remote.wall - nowMs > maxDriftMs) throw new ClockDriftError(remote.wall - nowMs);
  const wall = Math.max(prev.wall, remote.wall, nowMs);
  let counter: number;
  if (wall === prev.wall && wall === remote.wall) counter = Math.max(prev.counter, remote.counter) + 1;
  else if (wall === prev.wall) counter = prev.counter + 1;
  else if (wall === remote.wall) counter = remote.counter + 1;
  else counter = 0;
  if (counter > MAX_COUNTER) return { wall: wall + 1, counter: 0 };
  return { wall, counter };
}

export function compareHlc(a: Hlc, b: Hlc): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
