import { LIMITS } from '../domain/limits.js';

/** One checklist item of a runbook, as the `runbook.attached` event carries it. */
export interface RunbookStepDef {
  key: string;
  text: string;
}

/** The start of a task item, up to its text; the text is trimmed in extractSteps. */
const TASK = /^[ \t]{0,12}(?:[-*+]|\d{1,9}[.)])[ \t]+\[[ xX]\][ \t]+/;
const FENCE = /^[ \t]{0,3}(`{3,}|~{3,})/;
const KEY_CHARS = 40;

/**
 * The Markdown task-list items (`- [ ] step`) of a runbook, in document order, outside code
 * fences. A step's key is a slug of its text, so it reads well on the command line
 * (`conn runbook check INC-7KQ2XM promote-the-replica`) and stays the same when other steps are
 * added, removed or reordered; a repeated text gets `-2`, `-3`.
 */
export function extractSteps(markdown: string): RunbookStepDef[] {
  const steps: RunbookStepDef[] = [];
  const seen = new Map<string, number>();
  const used = new Set<string>();
  let fence: string | null = null;
  for (const line of markdown.split(/\r?\n/)) {
    const f = FENCE.exec(line);
    if (f) {
      const marker = f[1] as string;
      if (fence === null) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length) fence = null;
      continue;
    }
    if (fence !== null) continue;
    const m = TASK.exec(line);
    if (!m) continue;
    // Not `(.+?)[ \t]*$` in the regex: that backtracks quadratically on a long run of spaces.
    const rest = line.slice(m[0].length);
    if (/[\r\u2028\u2029]/.test(rest)) continue;
    let end = rest.length;
    while (end > 0 && (rest[end - 1] === ' ' || rest[end - 1] === '\t')) end--;
    if (end === 0) continue;
    const text = rest.slice(0, Math.min(end, LIMITS.textChars));
    const base = stepSlug(text);
    // "foo", "foo", "foo 2" must not give "foo-2" twice: a duplicate key checks both steps at once.
    let n = seen.get(base) ?? 0;
    let key: string;
    do {
      n += 1;
      key = n === 1 ? base : `${base}-${n}`;
    } while (used.has(key));
    seen.set(base, n);
    used.add(key);
    steps.push({ key, text });
    if (steps.length >= LIMITS.runbookSteps) break;
  }
  return steps;
}

function stepSlug(text: string): string {
  const slug = linkLabels(text) // a link reads as its label
    .replace(/[`*_~]/g, '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
  // Cut a long sentence at a word boundary: `confirm-the-primary-is-really-down-from`.
  const key = slug.length <= KEY_CHARS ? slug : slug.slice(0, KEY_CHARS + 1).replace(/-[^-]*$/, '') || slug.slice(0, KEY_CHARS);
  return key || `step-${fnv1a(text)}`;
}

/**
 * `text.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')` in linear time: that regex rescans to the end
 * of the text from every `[`, so a step of 50,000 `[` held the core for seconds.
 */
export function linkLabels(text: string): string {
  let out = '';
  let from = 0;
  let i = 0;
  for (;;) {
    const open = text.indexOf('[', i);
    if (open < 0) break;
    const close = text.indexOf(']', open + 1);
    if (close < 0) break; // no `]` after this `[`, so none after any later one either
    if (text[close + 1] !== '(') {
      i = close + 1; // every `[` before `close` ends its label at `close` too, and fails the same way
      continue;
    }
    const paren = text.indexOf(')', close + 2);
    if (paren < 0) break;
    out += text.slice(from, open) + text.slice(open + 1, close);
    from = i = paren + 1;
  }
  return out + text.slice(from);
}

/** A short, stable hash for a step written without any Latin letters or digits. */
function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}
