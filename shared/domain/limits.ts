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
  /** One serialised event on the wire or in an import. */
  eventBytes: 256 * 1024,
  /** One push or pull page. */
  pageEvents: 500,
} as const;
