import { LIMITS, utf8Bytes } from '../domain/limits.js';

/*
 * Generated Markdown that is saved as an event (minutes, a hand-off brief) must pass the same
 * limits as anything a person types: LIMITS.textChars characters, and an event under
 * LIMITS.eventBytes once serialised. A generator renders with a cap on every list; when the text
 * is too large it renders again with a smaller cap, so long lists end in "…and N more" instead
 * of the hub refusing the entry.
 */

/**
 * Room kept for the rest of the event: ids, clock, author, kind, target, a full supersedes list.
 * Each is bounded by its schema to well under 2 KiB; 8 KiB leaves a margin for the JSON around them.
 */
const ENVELOPE_BYTES = 8 * 1024;

/**
 * Whether `text` can be the text of one event. Its bytes are those of its JSON form, as the event
 * is measured (serialisedBytes would take a bare string as it is): escapes count.
 */
export function fitsInEvent(text: string): boolean {
  return text.length <= LIMITS.textChars && utf8Bytes(JSON.stringify(text)) <= LIMITS.eventBytes - ENVELOPE_BYTES;
}

/** The first line of an entry, at most `max` characters: a list item is one line. */
export function firstLine(text: string, max = 160): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** At most `cap` items, then "…and N more" for the rest. */
export function capped(items: string[], cap: number): string[] {
  if (items.length <= cap) return items;
  return [...items.slice(0, cap), `- …and ${items.length - cap} more`];
}

/** Markdown as blocks: plain lines, or a section whose list is capped. Lines are formatted once. */
export type Block = string[] | { title: string; items: string[]; none: string };

/** The blocks as Markdown, every section's list cut at `cap` items. */
export function renderBlocks(blocks: Block[], cap: number): string {
  const lines = blocks.flatMap((b) => (Array.isArray(b) ? b : [`## ${b.title}`, ...(b.items.length ? capped(b.items, cap) : [`- ${b.none}`]), '']));
  return `${lines.join('\n')}\n`;
}

/** Caps tried in turn; Infinity first, so a text that fits is never shortened. */
const CAPS = [Infinity, 200, 100, 50, 20, 10, 5, 3, 1, 0];

/**
 * The first rendering that fits in an event. Every list line is one clipped line, so a cap of
 * zero always fits; the final cut is a guard that cannot be reached by the generators here.
 */
export function fitToEvent(render: (cap: number) => string): string {
  for (const cap of CAPS) {
    const text = render(cap);
    if (fitsInEvent(text)) return text;
  }
  const whole = render(0);
  let keep = whole.length;
  while (!fitsInEvent(`${whole.slice(0, keep)}\n…(cut to fit)`)) keep = Math.floor(keep * 0.9);
  return `${whole.slice(0, keep)}\n…(cut to fit)`;
}
