/**
 * An error a person can act on. `code` is stable and machine-readable (CLI exit reasons, RPC
 * error codes, hub rejections); `message` is one sentence that says what to do.
 */
export class ConnError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ConnError';
  }
}

export type ErrorCode =
  | 'invalid-input'
  | 'not-found'
  | 'ambiguous'
  | 'forbidden'
  | 'unauthenticated'
  | 'too-large'
  | 'clock-drift'
  | 'conflict'
  | 'unavailable'
  /** The hub asked to slow down; the same request fits its budget later. */
  | 'rate-limited'
  | 'db-too-new'
  | 'internal';

/** Turns a zod error into the first issue as one line: "severity: must be from 1 to 5". */
export function describeZodIssue(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string {
  const first = issues[0];
  if (!first) return 'invalid input';
  return first.path.length ? `${first.path.map(String).join('.')}: ${first.message}` : first.message;
}
