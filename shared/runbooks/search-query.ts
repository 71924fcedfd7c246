import { ConnError } from '../domain/errors.js';

export const MAX_QUERY_CHARS = 500;

/**
 * Turns what a person typed into a safe FTS5 query. Every term is quoted, so FTS5 operators and
 * punctuation (`-`, `:`, `(`, `AND`) are searched as text instead of failing as syntax:
 *   `dns failover`   → `"dns" "failover"`   (both terms, anywhere)
 *   `"read replica"` → `"read replica"`     (the phrase)
 *   `postg*`         → `"postg"*`           (a prefix, served by the prefix index)
 * An unclosed quote runs to the end of the input, as a person would mean it.
 */
export function toFtsQuery(input: string): string {
  return toFtsPhrases(input).join(' ');
}

/**
 * The same query as its list of phrases (`"dns"`, `"read replica"`, `"postg"*`). FTS5 joins them
 * with an implicit AND, and its bm25 is a sum over them, which lets the library score a query
 * from each phrase's cached scores (main/core/runbooks/phrase-ranks.ts).
 */
export function toFtsPhrases(input: string): string[] {
  if (input.length > MAX_QUERY_CHARS) throw new ConnError('invalid-input', `a search is at most ${MAX_QUERY_CHARS} characters`);
  const parts: string[] = [];
  const re = /"([^"]*)"?(\*?)|([^\s"]+)/g;
  for (const m of input.matchAll(re)) {
    if (m[1] !== undefined) {
      const phrase = m[1].trim();
      if (hasWordChar(phrase)) parts.push(`${quote(phrase)}${m[2] ?? ''}`);
      continue;
    }
    const word = m[3] as string;
    const prefix = word.endsWith('*');
    const bare = word.replace(/\*+$/, '');
    if (!hasWordChar(bare)) continue;
    parts.push(prefix ? `${quote(bare)}*` : quote(bare));
  }
  if (parts.length === 0) throw new ConnError('invalid-input', 'type a word to search for');
  return parts;
}

function quote(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/** A token that the unicode61 tokenizer would drop entirely (like `-` or `*`) matches nothing. */
function hasWordChar(s: string): boolean {
  return /[\p{L}\p{N}]/u.test(s);
}

/** The sentence for an FTS5 syntax error in a raw (advanced) query. */
export function describeFtsError(query: string, sqliteMessage: string): string {
  const detail = sqliteMessage.replace(/^fts5: /, '');
  return `the search "${query}" is not valid FTS5 syntax (${detail}); drop --raw to search the words as typed`;
}
