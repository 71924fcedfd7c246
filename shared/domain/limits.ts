/**
 * Size limits enforced at every boundary (IPC, WebSocket, hub, CLI). They are generous for
 * a pasted log excerpt and small enough that one bad client cannot fill a teammate's disk.
 */
export const LIMITS = {
  /** A note, decision, minutes or update: about 15 pages of text. */
  textChars: 50_000,
  titleChars: 200,
  nameChars: 80,
  services: 20,
  serviceChars: 80,
  runbookSteps: 500,
  supersedes: 16,
  /** People named on one planned call: a bridge, not an all-hands. */
  plannedCallAttendees: 50,
  /** One serialised event on the wire or in an import. */
  eventBytes: 256 * 1024,
  /** One push or pull page. */
  pageEvents: 500,
} as const;

/**
 * Bytes of a string once UTF-8 encoded, without encoding it. Every size limit is measured this
 * way on every side (cockpit, hub, import), so nothing is saved that the hub would refuse.
 */
export function utf8Bytes(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4; // a surrogate pair is one 4-byte character
      i += 1;
    } else n += 3;
  }
  return n;
}

/** The size an event (or any value) has on the wire: its JSON serialisation in UTF-8. */
export function serialisedBytes(value: unknown): number {
  return utf8Bytes(typeof value === 'string' ? value : JSON.stringify(value ?? null));
}
