/*
 * The palette's ranking. cmdk's default filter is a fuzzy subsequence match, so "role" matched
 * "Set status: r-es-o-l-v-e-d" and, with nothing better, ranked it first: one Enter resolved a
 * SEV1. Here a query is words, and a command matches only when every query word is one of its
 * words, the start of one, or (for commands that change nothing) a substring of its text.
 *
 * Commands that change the incident are held to more: they never match by substring, never for
 * a one-character query, and they may rank first only when the query names their target
 * ("resolved", "sev2"). A query that merely fits their generic words ("set status", "se") lists
 * them after every command that changes nothing (such as "Change status…", which opens a
 * chooser), and not at all when nothing else matches: the palette selects its first row, and
 * that row must never be a write the person did not name.
 *
 * Pure and DOM-free, so the rules are unit-tested as a table (rank-commands.test.ts).
 */

export interface RankableCommand {
  id: string;
  label: string;
  /** More words the command answers to ("ic" for the commander); never shown. */
  keywords?: readonly string[];
  /**
   * Set on commands that write to the incident (status, severity): the words that name their
   * target value, e.g. ["resolved"] or ["sev2", "2"]. Their absence means "changes nothing".
   */
  target?: readonly string[];
}

/** How well one query word fits a command; the command's fit is its weakest word's. */
export const TIER = { none: 0, substring: 1, prefix: 2, exact: 3 } as const;
type Tier = (typeof TIER)[keyof typeof TIER];

/** A prefix this long (or the whole word) may name a state-changing command's target. */
const MIN_NAMING_PREFIX = 3;

/** Lower-case words: letters and digits, split on anything else ("INC-7KQ2XM" -> inc, 7kq2xm). */
export function wordsOf(text: string): string[] {
  return text.toLowerCase().normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? [];
}

function tierOf(queryWord: string, words: readonly string[], haystack: string): Tier {
  if (words.includes(queryWord)) return TIER.exact;
  if (words.some((w) => w.startsWith(queryWord))) return TIER.prefix;
  if (haystack.includes(queryWord)) return TIER.substring;
  return TIER.none;
}

/**
 * Whether a query word names the target of a state-changing command: it is a target word, or
 * the start of one (3+ letters) that does not just as well start the command's generic words
 * ("sev" starts both "sev2" and "severity", so it names no severity in particular).
 */
function namesTarget(queryWord: string, target: readonly string[], generic: readonly string[]): boolean {
  if (target.includes(queryWord)) return true;
  if (queryWord.length < MIN_NAMING_PREFIX) return false;
  return target.some((t) => t.startsWith(queryWord)) && !generic.some((g) => g.startsWith(queryWord));
}

interface Scored<T> {
  command: T;
  index: number;
  tier: Tier;
  sum: number;
  /** 2: a state-changing command the query names; 1: a command that changes nothing; 0: the rest. */
  standing: number;
  /** Query words that are whole words of the label: what the person reads beats a hidden keyword. */
  labelHits: number;
}

/**
 * The commands that match `query`, best first. State-changing commands the query does not name
 * come last; before them the order is every word's fit (exact words, then word prefixes, then
 * substrings), then standing (see Scored), then how many query words are whole words of the label (typing
 * "retrospective" opens the Retrospective, not a search that lists it as a keyword), then the sum of the words' fits, then the order the
 * commands were given in. An empty query names nothing, so it lists every command with the ones
 * that change nothing first.
 */
export function rankCommands<T extends RankableCommand>(query: string, commands: readonly T[]): T[] {
  const q = wordsOf(query);
  const scored: Array<Scored<T>> = [];
  commands.forEach((command, index) => {
    const target = (command.target ?? []).map((t) => t.toLowerCase());
    const changesState = command.target !== undefined;
    const generic = [...wordsOf(command.label), ...(command.keywords ?? []).flatMap(wordsOf)].filter((w) => !target.includes(w));
    const words = [...generic, ...target];
    const haystack = [command.label, ...(command.keywords ?? [])].join(' ').toLowerCase();
    if (q.length === 0) {
      scored.push({ command, index, tier: TIER.none, sum: 0, standing: changesState ? 0 : 1, labelHits: 0 });
      return;
    }
    const tiers = q.map((w) => tierOf(w, words, haystack));
    const tier = Math.min(...tiers) as Tier;
    if (tier === TIER.none) return;
    if (changesState && (tier < TIER.prefix || q.join('').length < 2)) return;
    const standing = !changesState ? 1 : q.some((w) => namesTarget(w, target, generic)) ? 2 : 0;
    const labelWords = wordsOf(command.label);
    const labelHits = q.filter((w) => labelWords.includes(w)).length;
    scored.push({ command, index, tier, sum: tiers.reduce<number>((a, b) => a + b, 0), standing, labelHits });
  });
  const unnamedWrite = (s: Scored<T>) => Number(s.standing === 0);
  scored.sort((a, b) => unnamedWrite(a) - unnamedWrite(b) || b.tier - a.tier || b.standing - a.standing || b.labelHits - a.labelHits || b.sum - a.sum || a.index - b.index);
  if (scored[0] && unnamedWrite(scored[0])) return [];
  return scored.map((s) => s.command);
}
