import { isTextKind, type ConnEvent } from '../../shared/domain/events.js';

/*
 * "The redacted payload is gone from every store" includes the hub's. When a redaction commits,
 * the hub rewrites its target (and every text edit of it) with the words replaced; a text that
 * arrives after its redaction is stored scrubbed. The placeholder matches the cockpit's
 * (main/core/store/redaction.ts), so a scrubbed event stays schema-valid and every store agrees.
 * (server/ may not import main/core; if this grows, move both into shared/.)
 */

export const HUB_REDACTED_TEXT = '[redacted]';

/** Events whose payload carries a new text for another entry. */
export function isTextEdit(e: ConnEvent): boolean {
  return e.kind === 'entry.edited' || (e.kind === 'action.updated' && e.payload.text !== undefined);
}

export function scrub(e: ConnEvent): ConnEvent {
  if (!isTextKind(e.kind) && !isTextEdit(e)) return e;
  const payload = { ...(e.payload as Record<string, unknown>) };
  if (payload['text'] !== undefined) payload['text'] = HUB_REDACTED_TEXT;
  if (e.kind === 'handoff.offered') payload['brief'] = HUB_REDACTED_TEXT;
  return { ...e, payload } as ConnEvent;
}
