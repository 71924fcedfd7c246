import { RefSchema } from '../../shared/domain/incident-ref.js';

/** The only scheme Conn registers with the OS. */
export const DEEP_LINK_SCHEME = 'conn';

/** What a conn:// link may ask for. Today only "focus this incident". */
export type DeepLink = { kind: 'incident'; ref: string };

/** Longer than any link we make, short enough that a hostile one cannot make us parse megabytes. */
const MAX_LINK_CHARS = 256;

/**
 * Parses conn://incident/INC-XXXXXX and nothing else. A link arrives from any program on the
 * machine (a browser page, a chat message), so it is untrusted: no query, fragment, credentials,
 * port, extra path segments or encoded characters, and the reference must be a valid one.
 * Returns null for anything else; the caller ignores it.
 */
export function parseDeepLink(raw: unknown): DeepLink | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_LINK_CHARS) return null;
  // Exact shape first: URL parsing alone would quietly accept and normalise oddities.
  const m = /^conn:\/\/incident\/(inc-[0-9a-z]{6})$/i.exec(raw);
  if (!m) return null;
  const ref = m[1]!.toUpperCase();
  return RefSchema.safeParse(ref).success ? { kind: 'incident', ref } : null;
}

/**
 * On Windows and Linux a second launch carries the link in its argv (the OS starts a new
 * process; the single-instance lock hands its argv to us). Only an argument that parses wins.
 */
export function deepLinkFromArgv(argv: readonly string[]): DeepLink | null {
  for (const arg of argv) {
    if (!arg.startsWith(`${DEEP_LINK_SCHEME}:`)) continue;
    const link = parseDeepLink(arg);
    if (link) return link;
  }
  return null;
}
