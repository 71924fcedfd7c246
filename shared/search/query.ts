import { toFtsPhrases } from '../runbooks/search-query.js';

export { MAX_QUERY_CHARS } from '../runbooks/search-query.js';

/**
 * What a person typed as FTS5 phrases, every term quoted (shared/runbooks/search-query.ts), so a
 * stray `"`, `*`, `-`, `:` or `AND` is searched as text and never throws. As you type, the last
 * word is also a prefix (`dat` finds "database") once it has two characters: a one-letter prefix
 * would merge the doclists of every word with that letter, which the 2- and 3-character prefix
 * indexes do not serve. Throws invalid-input when nothing searchable is left.
 */
export function searchPhrases(input: string, opts: { asYouType?: boolean } = {}): string[] {
  const phrases = toFtsPhrases(input);
  // The word being typed is the run of letters and digits at the end: in `payments-d` it is `d`,
  // the last token of the phrase "payments d", so no prefix yet (a one-letter prefix inside a
  // phrase made FTS5 merge the doclist of every word starting with d, on every MATCH).
  const typing = /[\p{L}\p{N}]+$/u.exec(input)?.[0] ?? '';
  const last = phrases[phrases.length - 1] as string;
  if (opts.asYouType && [...typing].length >= 2 && !last.endsWith('*')) {
    phrases[phrases.length - 1] = `${last}*`;
  }
  return phrases;
}

/** The scope token of an incident's documents (migration 006): one word, `x` and the id's hex. */
export function scopeToken(incidentId: string): string {
  return `x${incidentId.replace(/-/g, '').toLowerCase()}`;
}
