/*
 * Blameless wording: a retrospective asks how the system let something happen, never who is to
 * blame. This finds phrases that assign blame or judge a person, with a suggestion for each. It
 * is advice, not a filter: the app shows it beside the words, `conn retro REF --check` lists it
 * and exits non-zero, and nothing is ever refused for it.
 */

export interface WordingRule {
  /** What the finding is called in a list ("human error"). */
  phrase: string;
  pattern: RegExp;
  suggestion: string;
}

export interface WordingFinding {
  phrase: string;
  /** The words as written, for showing them highlighted. */
  match: string;
  /** Character offsets into the text checked. */
  start: number;
  end: number;
  suggestion: string;
}

// Word boundaries on both sides, so "faultless" or "blameless" never match; case-insensitive.
const rule = (phrase: string, source: string, suggestion: string): WordingRule => ({ phrase, pattern: new RegExp(`\\b(?:${source})\\b`, 'gi'), suggestion });

export const WORDING_RULES: readonly WordingRule[] = [
  rule('human error', 'human errors?|operator errors?|user errors?', 'Describe the condition that made the mistake easy to make, and the safeguard that did not catch it.'),
  rule('should have', "should(?: not|n't)? have|ought to have", 'Say what the person knew at the time and why their choice made sense then; then what would make the better choice easier.'),
  rule('failed to', 'failed to|fails to|failure to', 'Say what happened instead ("the alert did not fire because…"), not what someone failed to do.'),
  rule('careless', 'careless(?:ly|ness)?|sloppy|sloppiness|lazy|laziness', 'Name the pressure or missing check behind it (time, alert noise, an unclear runbook), not a trait.'),
  rule('blame', 'blame[sd]?|blaming|to blame', 'A retrospective finds causes in the system; describe the sequence of events and the conditions instead.'),
  rule('negligent', 'negligen(?:t|ce|tly)|reckless(?:ly|ness)?|incompeten(?:t|ce)', 'Describe what the person saw and did, and what the system let them do.'),
  rule('fault of', "fault of|(?:his|her|their|[A-Z][a-z]+'s) fault|at fault", 'Causes are conditions, not people: what made this possible?'),
  rule('forgot to', 'forgot to|forgotten to', 'Ask what would have reminded anyone: a checklist step, an alert, an automated check.'),
  rule('obviously', 'obviously|clearly should|simply should', 'What is obvious in hindsight was not at the time; describe what was known then.'),
  rule('mistake by', 'mistake by|mistake of|error by', 'Describe the action and its context, not whose mistake it was.'),
];

/** Every blame-assigning phrase in `text`, in the order they appear. Pure. */
export function checkWording(text: string): WordingFinding[] {
  const out: WordingFinding[] = [];
  for (const r of WORDING_RULES) {
    // A fresh regex per call: a global one keeps its lastIndex between calls.
    const re = new RegExp(r.pattern.source, r.pattern.flags);
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      out.push({ phrase: r.phrase, match: m[0], start: m.index, end: m.index + m[0].length, suggestion: r.suggestion });
    }
  }
  // Two rules can match overlapping words ("should have blamed"): keep each stretch once, first rule wins.
  out.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: WordingFinding[] = [];
  for (const f of out) if (!kept.some((k) => f.start < k.end && k.start < f.end)) kept.push(f);
  return kept;
}

/** Where in a document a finding is: "summary", "contributing factor 2". */
export interface LocatedFinding extends WordingFinding {
  where: string;
}

/** Checks several named texts at once (the fields of a retrospective). */
export function checkFields(fields: ReadonlyArray<{ where: string; text: string }>): LocatedFinding[] {
  return fields.flatMap((f) => checkWording(f.text).map((finding) => ({ ...finding, where: f.where })));
}
