import { isTextKind } from '../../../shared/domain/events.js';
import { REDACTED_TEXT, scrubPayload } from '../../../shared/domain/redaction.js';

import type { FoldAcc } from '../../../shared/domain/fold.js';

// The scrub itself is shared with the hub's store; the accumulator is the cockpit's alone.
export { REDACTED_TEXT, isTextEdit, scrubEvent, scrubPayload } from '../../../shared/domain/redaction.js';

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
