import { LIMITS } from '../domain/limits.js';

/** One checklist item of a runbook, as the `runbook.attached` event carries it. */
export interface RunbookStepDef {
  key: string;
  text: string;
}

const TASK = /^[ \t]{0,12}(?:[-*+]|\d{1,9}[.)])[ \t]+\[[ xX]\][ \t]+(.+?)[ \t]*$/;
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
    const text = (m[1] as string).slice(0, LIMITS.textChars);
    const base = stepSlug(text);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    steps.push({ key: n === 1 ? base : `${base}-${n}`, text });
    if (steps.length >= LIMITS.runbookSteps) break;
  }
  return steps;
}

function stepSlug(text: string): string {
  const slug = text
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1') // a link reads as its label
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

/** A short, stable hash for a step written without any Latin letters or digits. */
function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}
