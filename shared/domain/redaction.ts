import { isTextKind, type ConnEvent, type EventKind } from './events.js';

/*
 * "The redacted payload is gone from every store": the cockpit's database and the hub's both
 * rewrite a redacted entry and its text edits with this, so every store agrees byte for byte.
 */

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
