import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/*
 * The main window's size, place and maximised flag, kept in userData/window-state.json. The
 * file is ours but may be stale (a monitor unplugged) or damaged, so it is parsed and checked
 * against the current displays; anything doubtful falls back to a centred default.
 */
export const WINDOW_STATE_FILE = 'window-state.json';

const Dim = z.number().int().min(200).max(20_000);
const Pos = z.number().int().min(-50_000).max(50_000);
export const WindowStateSchema = z
  .object({ x: Pos.optional(), y: Pos.optional(), width: Dim, height: Dim, maximised: z.boolean() })
  .strict();
export type WindowState = z.infer<typeof WindowStateSchema>;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1280, height: 800, maximised: false };

/** At least this much of the title bar must be on some display, or the window is re-centred. */
const MIN_VISIBLE = 100;

function overlapsEnough(s: WindowState, area: Rect): boolean {
  if (s.x === undefined || s.y === undefined) return true;
  const w = Math.min(s.x + s.width, area.x + area.width) - Math.max(s.x, area.x);
  const h = Math.min(s.y + 40, area.y + area.height) - Math.max(s.y, area.y);
  return w >= MIN_VISIBLE && h > 0;
}

/** Parses the saved JSON and fits it to the displays' work areas. */
export function restoreWindowState(raw: string | null, workAreas: readonly Rect[]): WindowState {
  if (raw === null || raw.length > 4096) return DEFAULT_WINDOW_STATE;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return DEFAULT_WINDOW_STATE;
  }
  const parsed = WindowStateSchema.safeParse(json);
  if (!parsed.success) return DEFAULT_WINDOW_STATE;
  const s = parsed.data;
  if (s.x !== undefined && s.y !== undefined && !workAreas.some((a) => overlapsEnough(s, a))) {
    return { width: s.width, height: s.height, maximised: s.maximised };
  }
  return s;
}

export function readWindowState(userData: string, workAreas: readonly Rect[]): WindowState {
  let raw: string | null = null;
  try {
    raw = readFileSync(path.join(userData, WINDOW_STATE_FILE), 'utf8');
  } catch {}
  return restoreWindowState(raw, workAreas);
}

/** Written through a temp file and a rename, so a crash mid-write never leaves half a file. */
export function writeWindowState(userData: string, state: WindowState): void {
  const checked = WindowStateSchema.parse(state);
  mkdirSync(userData, { recursive: true });
  const file = path.join(userData, WINDOW_STATE_FILE);
  writeFileSync(`${file}.tmp`, JSON.stringify(checked));
  renameSync(`${file}.tmp`, file);
}
