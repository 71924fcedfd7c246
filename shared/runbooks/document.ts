import { parseDocument } from 'yaml';
import { z } from 'zod';
import { ConnError } from '../domain/errors.js';
import { LIMITS } from '../domain/limits.js';
import { extractSteps, type RunbookStepDef } from './steps.js';

/**
 * A runbook is Markdown with optional YAML front matter. These limits bound what one runbook
 * may cost every laptop that caches it: 1 MiB is about 300 printed pages, far beyond any real
 * runbook, and small enough that a stray log file or binary cannot bloat the library.
 */
export const RUNBOOK_LIMITS = {
  bytes: 1024 * 1024,
  nameChars: 80,
  tagChars: 40,
  tags: 30,
} as const;

/** A runbook's name: its file name without the extension, slugged; unique in the library. */
export const RunbookNameSchema = z
  .string()
  .min(1, 'a runbook name is required')
  .max(RUNBOOK_LIMITS.nameChars, `a runbook name is at most ${RUNBOOK_LIMITS.nameChars} characters`)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'a runbook name uses only a-z, 0-9 and dashes (e.g. database-failover)');

const List = (max: number, chars: number) =>
  z
    .union([z.string(), z.array(z.union([z.string(), z.number()]))])
    .transform((v) => (Array.isArray(v) ? v.map(String) : v.split(',')).map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.string().max(chars, `an entry is longer than ${chars} characters`)).max(max, `at most ${max} entries`));

/** YAML 1.2 leaves `2025-03-01` a string; a YAML 1.1 writer may have quoted a full timestamp. */
const DateOnly = z
  .union([z.string(), z.date()])
  .transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v.trim().slice(0, 10)))
  .pipe(z.iso.date({ error: 'last_verified must be a date like 2025-03-01' }));

/** Unknown keys are dropped, not refused: a team's existing runbook repo may carry its own. */
export const FrontMatterSchema = z.object({
  title: z.string().trim().min(1).max(LIMITS.titleChars, `a title is at most ${LIMITS.titleChars} characters`).optional(),
  services: List(LIMITS.services, LIMITS.serviceChars).default([]),
  tags: List(RUNBOOK_LIMITS.tags, RUNBOOK_LIMITS.tagChars).default([]),
  owner: z.string().trim().min(1).max(LIMITS.nameChars).optional(),
  last_verified: DateOnly.optional(),
});
export type FrontMatter = z.infer<typeof FrontMatterSchema>;

export interface RunbookDocument {
  name: string;
  title: string;
  services: string[];
  tags: string[];
  owner: string | null;
  lastVerified: string | null;
  /** The Markdown after the front matter. */
  body: string;
  steps: RunbookStepDef[];
}

/** Makes a runbook name from a file name: "Database Failover.md" → "database-failover". */
export function slugFromFileName(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, '').replace(/\.(md|markdown)$/i, '');
  return base
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, RUNBOOK_LIMITS.nameChars)
    .replace(/-+$/, '');
}

/**
 * Decodes a runbook's bytes, refusing what is not a text file: NUL bytes (a binary) and invalid
 * UTF-8. Size is the caller's first check, before the bytes are even read.
 */
export function decodeRunbookBytes(bytes: Uint8Array): string {
  if (bytes.byteLength > RUNBOOK_LIMITS.bytes) {
    throw new ConnError('too-large', `the file is ${formatBytes(bytes.byteLength)}; a runbook is at most ${formatBytes(RUNBOOK_LIMITS.bytes)}`);
  }
  if (bytes.includes(0)) throw new ConnError('invalid-input', 'the file contains NUL bytes: it looks binary, not Markdown');
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    throw new ConnError('invalid-input', 'the file is not valid UTF-8 text: save it as UTF-8 Markdown');
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(n % (1024 * 1024) ? 1 : 0)} MiB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KiB`;
  return `${n} bytes`;
}

const FENCE = /^---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;

/** Splits off the front matter; `bodyLine` is the 1-based file line the YAML starts on. */
export function splitFrontMatter(text: string): { yaml: string | null; body: string } {
  const m = FENCE.exec(text);
  if (!m) return { yaml: null, body: text };
  return { yaml: m[1] ?? '', body: text.slice(m[0].length) };
}

/**
 * Parses a runbook's text. Invalid front matter is refused with the file line of the YAML
 * error, so the author can go straight to it; the Markdown itself is never refused (a script
 * tag is stored as written and made inert where it is rendered).
 */
export function parseRunbook(name: string, text: string): RunbookDocument {
  const validName = RunbookNameSchema.safeParse(name);
  if (!validName.success) throw new ConnError('invalid-input', validName.error.issues[0]?.message ?? 'invalid runbook name');
  // The limit is in UTF-8 bytes, not UTF-16 units: 1M units of `€` are 3 MiB on disk and on the wire.
  if (text.length > RUNBOOK_LIMITS.bytes || (text.length * 3 > RUNBOOK_LIMITS.bytes && new TextEncoder().encode(text).byteLength > RUNBOOK_LIMITS.bytes)) {
    throw new ConnError('too-large', `a runbook is at most ${formatBytes(RUNBOOK_LIMITS.bytes)}`);
  }
  if (text.includes('\u0000')) throw new ConnError('invalid-input', 'the text contains NUL characters: it looks binary, not Markdown');
  const { yaml, body } = splitFrontMatter(text);
  let fm: FrontMatter = { services: [], tags: [] };
  if (yaml !== null && yaml.trim() !== '') {
    const doc = parseDocument(yaml, { prettyErrors: false });
    const err = doc.errors[0];
    if (err) {
      // +1: the YAML starts on the line after the opening `---`.
      const line = yaml.slice(0, err.pos[0]).split('\n').length + 1;
      throw new ConnError('invalid-input', `invalid front matter at line ${line}: ${err.message.split('\n')[0]}`);
    }
    const raw: unknown = doc.toJS();
    if (raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) {
      throw new ConnError('invalid-input', 'invalid front matter at line 2: expected "key: value" pairs (title, services, tags, owner, last_verified)');
    }
    const parsed = FrontMatterSchema.safeParse(raw ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const key = issue?.path[0];
      const line = typeof key === 'string' ? lineOfKey(yaml, key) : 1;
      throw new ConnError('invalid-input', `invalid front matter at line ${line + 1}: ${issue?.path.map(String).join('.') || 'front matter'}: ${issue?.message ?? 'invalid'}`);
    }
    fm = parsed.data;
  }
  return {
    name,
    title: fm.title ?? titleFromBody(body) ?? name,
    services: fm.services,
    tags: fm.tags,
    owner: fm.owner ?? null,
    lastVerified: fm.last_verified ?? null,
    body,
    steps: extractSteps(body),
  };
}

function lineOfKey(yaml: string, key: string): number {
  const i = yaml.split(/\r?\n/).findIndex((l) => l.startsWith(`${key}:`));
  return i < 0 ? 1 : i + 1;
}

/**
 * The first level-1 heading, for runbooks written without front matter. Trimmed by hand, not by
 * a `(.+?)[ \t#]*$` regex: that backtracks quadratically, and a 1 MiB heading of spaces would
 * hold the core for an hour.
 */
function titleFromBody(body: string): string | null {
  const m = /^#[ \t]+(?=[^\r\n\u2028\u2029])/m.exec(body);
  if (!m) return null;
  const line = /^[^\r\n\u2028\u2029]*/.exec(body.slice(m.index + m[0].length))?.[0] ?? '';
  const t = trimEnd(line, ' \t#').trim();
  return t ? t.slice(0, LIMITS.titleChars) : null;
}

/** `s` without the trailing characters listed in `chars`, in linear time. */
function trimEnd(s: string, chars: string): string {
  let end = s.length;
  while (end > 0 && chars.includes(s[end - 1] as string)) end--;
  return s.slice(0, end);
}

/** Whether a runbook's last verification is older than `days` days (an unverified one is stale). */
export function isStale(lastVerified: string | null, now: Date, days: number): boolean {
  if (!lastVerified) return true;
  const verified = Date.parse(`${lastVerified}T00:00:00Z`);
  if (Number.isNaN(verified)) return true;
  return now.getTime() - verified > days * 86_400_000;
}
