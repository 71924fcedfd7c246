import { isTextKind, type ConnEvent, type EventKind } from '../../../shared/domain/events.js';
import type { FoldAcc } from '../../../shared/domain/fold.js';

/**
 * What a redacted text becomes in every store. It keeps the event schema-valid (text may not be
 * empty), so a scrubbed event can still be synced, while the words themselves are gone.
 */
export const REDACTED_TEXT = '[redacted]';

/** Events whose payload carries a new text for another entry. */
export function isTextEdit(e: ConnEvent): boolean {
  return e.kind === 'entry.edited' || (e.kind === 'action.updated' && e.payload.text !== undefined);
}

/** The payload with its free-text fields replaced. Only text kinds and text edits carry any. */
export function scrubPayload(kind: EventKind, payload: Record<string, unknown>): Record<string, unknown> {
  const out = { ...payload };
  if ('text' in out && out['text'] !== undefined) out['text'] = REDACTED_TEXT;
  if (kind === 'handoff.offered' && 'brief' in out) out['brief'] = REDACTED_TEXT;
  return out;
}

/** A copy of the event with its text scrubbed, when it is a text entry or a text edit. */
export function scrubEvent(e: ConnEvent): ConnEvent {
  if (!isTextKind(e.kind) && !isTextEdit(e)) return e;
  return { ...e, payload: scrubPayload(e.kind, e.payload as Record<string, unknown>) } as ConnEvent;
}

/**
 * Removes a redacted entry's words from the fold accumulator (which is stored as acc_json). The
 * projected state already shows '' for it; this makes sure the text is not kept underneath.
 */
export function scrubAcc(acc: FoldAcc, targetId: string): void {
  const entry = acc.entries[targetId];
  if (entry && isTextKind(entry.kind)) entry.payload = scrubPayload(entry.kind, entry.payload as Record<string, unknown>) as typeof entry.payload;
  const edits = acc.registers[`text:${targetId}`];
  if (edits) for (const w of Object.values(edits)) w.value = REDACTED_TEXT;
}
