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
  /** This Conn and the hub speak protocol versions that do not meet: one of them needs an upgrade (exit 5). */
  | 'incompatible'
  | 'db-too-new'
  /** The hub refused some of what was pushed (`conn sync` exits 6). */
  | 'refused'
  | 'internal';

/** What a person calls a field, by its path: "workingHours", or "services.*" for an item of a list. */
export type FieldWords = Readonly<Record<string, string>>;

/**
 * The domain's fields as the app and the CLI name them to people. A field not listed is named
 * from its key ("impactStartedAt" → "impact started at"), never shown as the key itself.
 */
const FIELD_WORDS: FieldWords = {
  title: 'the title',
  summary: 'the summary',
  text: 'the text',
  services: 'services',
  'services.*': 'a service name',
  name: 'the name',
  owner: "the owner's name",
  person: "the person's name",
  timeZone: 'the time zone',
  workingHours: 'the working hours',
  due: 'the due time',
  reason: 'the reason',
  target: 'the entry id',
  severity: 'the severity',
  status: 'the status',
  role: 'the role',
};

/** The parts of a zod issue the sentence is made from (zod's issues have these, by code). */
interface IssueDetail {
  path: PropertyKey[];
  message: string;
  code?: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  expected?: string;
  format?: string;
  values?: unknown[];
  keys?: string[];
}

/** zod's own wording ("Too small: expected string to have >=1 characters"); a schema's messages are ours. */
const ZOD_WORDING = /^(Invalid|Too small|Too big|Unrecognized)\b/;

function lookup(path: PropertyKey[], words: FieldWords): string | undefined {
  const starred = path.map((p) => (typeof p === 'number' ? '*' : String(p))).join('.');
  return words[starred] ?? words[path.filter((p) => typeof p !== 'number').map(String).join('.')];
}

function fromKey(path: PropertyKey[]): string {
  const last = [...path].reverse().find((p): p is string => typeof p === 'string');
  return last ? last.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase() : 'the input';
}

/** zod's generic issues, said again about the field in the person's words. */
function rephrase(i: IssueDetail, field: string): string {
  const list = i.origin === 'array' || i.origin === 'set';
  switch (i.code) {
    case 'too_small':
      if (list) return `${field} needs at least ${String(i.minimum)}`;
      if (i.origin === 'string') return Number(i.minimum) <= 1 ? `${field} cannot be empty` : `${field} must be at least ${String(i.minimum)} characters`;
      return `${field} must be ${i.inclusive === false ? 'more than' : 'at least'} ${String(i.minimum)}`;
    case 'too_big':
      if (list) return `at most ${String(i.maximum)} ${field} allowed`;
      if (i.origin === 'string') return `${field} must be at most ${String(i.maximum)} characters`;
      return `${field} must be ${i.inclusive === false ? 'less than' : 'at most'} ${String(i.maximum)}`;
    case 'invalid_type':
      return /received undefined/.test(i.message) ? `${field} is required` : `${field} must be ${/^[aeiou]/.test(i.expected ?? '') ? 'an' : 'a'} ${i.expected ?? 'value'}`;
    case 'invalid_format':
      return i.format === 'datetime' ? `${field} must be an ISO 8601 time such as 2026-11-28T16:30:00Z` : `${field} is not in the expected format`;
    case 'invalid_value':
      return `${field} must be one of ${(i.values ?? []).map(String).join(', ')}`;
    case 'unrecognized_keys':
      return `${field} has an unknown field: ${(i.keys ?? []).join(', ')}`;
    default:
      return `${field} is not valid`;
  }
}

/**
 * The first zod issue as one sentence in the person's words, never the schema's field names.
 * A schema's own message is already such a sentence ("a title is required") and is kept;
 * zod's generic ones are said again about the field ("a service name cannot be empty").
 * `words` names fields the way the caller's user knows them: the CLI passes its option names,
 * so the sentence says which option to fix ("--hours: working hours look like 09:00-17:00").
 * `paths` shows the path itself, for documents a person wrote key by key (a YAML pack).
 */
export function describeZodIssue(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>, opts: { words?: FieldWords; paths?: boolean } = {}): string {
  const first = issues[0] as IssueDetail | undefined;
  if (!first) return 'invalid input';
  const named = opts.paths && first.path.length ? first.path.map(String).join('.') : lookup(first.path, opts.words ?? {});
  if (!ZOD_WORDING.test(first.message)) return named ? `${named}: ${first.message}` : first.message;
  return rephrase(first, named ?? lookup(first.path, FIELD_WORDS) ?? fromKey(first.path));
}
