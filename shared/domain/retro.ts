import { z } from 'zod';
import { hlcToDate } from '../sync/hlc.js';
import { IdSchema } from './ids.js';
import { LIMITS } from './limits.js';
import type { Conflict, FoldAcc } from './fold.js';

/*
 * The retrospective as a living document made of events, so it syncs and merges like the
 * timeline. Two people editing at once must both keep their work, so the document is split into
 * small registers, each last-writer-wins by (hlc, id): the summary, the impact, and every list
 * item's own fields under the item's own id. Two people adding a factor each write different
 * registers, and both factors survive; two people rewriting the summary at once leave one
 * winner, and the other version is listed as a concurrent edit instead of vanishing.
 */

export const RETRO_STATES = ['draft', 'in-review', 'published'] as const;
export type RetroState = (typeof RETRO_STATES)[number];

export const FACTOR_CATEGORIES = ['detection', 'change', 'dependency', 'capacity', 'process', 'other'] as const;
export type FactorCategory = (typeof FACTOR_CATEGORIES)[number];

/** The document's fields: two texts, three lists of items, and links to the incident's actions. */
export const RETRO_FIELDS = ['summary', 'impact', 'factor', 'went-well', 'was-hard', 'remediation'] as const;
export type RetroField = (typeof RETRO_FIELDS)[number];
const TEXT_FIELDS: readonly RetroField[] = ['summary', 'impact'];
const LIST_FIELDS: readonly RetroField[] = ['factor', 'went-well', 'was-hard'];

/** A list item's words: one factor or lesson, not an essay. */
export const RETRO_ITEM_CHARS = 2_000;

/**
 * One change to one field. `summary`/`impact`: `text` (empty clears it). `factor`, `went-well`,
 * `was-hard`: `item` (a new id adds one) with its `text`, a factor's `category`, or `removed`.
 * `remediation`: `target` is an action item of the incident and `linked` says whether it is one.
 */
export const RetroEditSchema = z
  .object({
    field: z.enum(RETRO_FIELDS),
    text: z.string().trim().max(LIMITS.textChars, `text is longer than ${LIMITS.textChars} characters`).optional(),
    item: IdSchema.optional(),
    category: z.enum(FACTOR_CATEGORIES).optional(),
    removed: z.boolean().optional(),
    target: IdSchema.optional(),
    linked: z.boolean().optional(),
  })
  .superRefine((p, ctx) => {
    const problem = retroEditProblem(p);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
export type RetroEdit = z.infer<typeof RetroEditSchema>;

export const RetroStateChangeSchema = z.object({ state: z.enum(RETRO_STATES) });

/** Why an edit is malformed, as a sentence; null when it is fine. */
function retroEditProblem(p: Omit<RetroEdit, 'field'> & { field: RetroField }): string | null {
  const has = (k: keyof typeof p) => p[k] !== undefined;
  const only = (allowed: Array<keyof typeof p>) => (Object.keys(p) as Array<keyof typeof p>).filter((k) => k !== 'field' && has(k) && !allowed.includes(k));
  if (TEXT_FIELDS.includes(p.field)) {
    if (!has('text')) return `a ${p.field} edit needs its text (empty clears it)`;
    if (only(['text']).length) return `a ${p.field} edit takes only its text`;
    return null;
  }
  if (LIST_FIELDS.includes(p.field)) {
    if (!has('item')) return `a ${p.field} edit names its item (a new id adds one)`;
    const extra = only(p.field === 'factor' ? ['item', 'text', 'category', 'removed'] : ['item', 'text', 'removed']);
    if (extra.length) return `a ${p.field} edit does not take ${extra.join(', ')}`;
    if (!has('text') && !has('category') && !has('removed')) return `a ${p.field} edit changes its text${p.field === 'factor' ? ', its category' : ''} or removes it`;
    if (has('text') && (p.text === '' || p.text!.length > RETRO_ITEM_CHARS)) return `an item's text is 1 to ${RETRO_ITEM_CHARS} characters`;
    return null;
  }
  if (!has('target') || !has('linked')) return 'a remediation edit names the action (target) and whether it is linked';
  if (only(['target', 'linked']).length) return 'a remediation edit takes only target and linked';
  return null;
}

/** The field writes one retro.edited makes: register keys under "retro:". */
export function retroWritesOf(p: RetroEdit, by: string): Array<{ key: string; value: unknown }> {
  if (p.field === 'summary' || p.field === 'impact') return [{ key: `retro:${p.field}`, value: { v: p.text ?? '', by } }];
  if (p.field === 'remediation') return [{ key: `retro:remediation:${p.target}`, value: { v: p.linked === true, by } }];
  const base = `retro:${p.field}:${p.item}`;
  const out: Array<{ key: string; value: unknown }> = [];
  if (p.text !== undefined) out.push({ key: `${base}:text`, value: { v: p.text, by } });
  if (p.category !== undefined) out.push({ key: `${base}:category`, value: { v: p.category, by } });
  if (p.removed !== undefined) out.push({ key: `${base}:removed`, value: { v: p.removed, by } });
  return out;
}

export function isRetroKey(key: string): boolean {
  return key.startsWith('retro:');
}

/** A text field with who last wrote it and when. */
export interface RetroText {
  text: string;
  by: string;
  at: string;
}

export interface RetroItem {
  id: string;
  text: string;
  /** Factors only; '' never: a factor without a category reads as "other". */
  category: FactorCategory | null;
  /** Who added it and when: the item's first write. */
  addedBy: string;
  addedAt: string;
}

export interface RetroStatus {
  state: RetroState;
  /** Who set the state and when; null while it was never set (a draft nobody has moved). */
  by: string | null;
  at: string | null;
}

export interface Retrospective {
  status: RetroStatus;
  summary: RetroText | null;
  impact: RetroText | null;
  factors: RetroItem[];
  wentWell: RetroItem[];
  wasHard: RetroItem[];
  /** Ids of the incident's action items linked as remediation, in the order they were linked. */
  remediation: string[];
  /** Fields two people changed at once: the winner is shown, the others listed here. */
  conflicts: Conflict[];
  /** When anything in it last changed; null for an untouched retrospective. */
  editedAt: string | null;
}

interface RegWrite {
  id: string;
  hlc: string;
  value: unknown;
  supersedes: string[];
}

function byOrder(a: { hlc: string; id: string }, b: { hlc: string; id: string }): number {
  if (a.hlc !== b.hlc) return a.hlc < b.hlc ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function iso(hlc: string): string {
  return hlcToDate(hlc).toISOString();
}

/** The writes of a register, oldest first. */
function writes(acc: FoldAcc, key: string): RegWrite[] {
  const reg = acc.registers[key];
  return reg ? Object.values(reg).sort(byOrder) : [];
}

function last(acc: FoldAcc, key: string): RegWrite | undefined {
  const all = writes(acc, key);
  return all[all.length - 1];
}

function cell<T>(w: RegWrite | undefined): { v: T; by: string } | undefined {
  return w?.value as { v: T; by: string } | undefined;
}

/** The state a retrospective is in, from the accumulator; small enough to live in IncidentState. */
export function retroStatusOf(acc: FoldAcc): RetroStatus {
  const w = last(acc, 'retro:state');
  const c = cell<RetroState>(w);
  return c && w ? { state: c.v, by: c.by, at: iso(w.hlc) } : { state: 'draft', by: null, at: null };
}

const FIELD_LABEL: Record<string, string> = { summary: 'summary edits', impact: 'impact edits', state: 'review state changes' };

/** Projects the retrospective from the incident's accumulator. Pure, and fully ordered. */
export function projectRetro(acc: FoldAcc): Retrospective {
  const keys = Object.keys(acc.registers).filter(isRetroKey).sort();
  const text = (field: 'summary' | 'impact'): RetroText | null => {
    const w = last(acc, `retro:${field}`);
    const c = cell<string>(w);
    return c && w && c.v !== '' ? { text: c.v, by: c.by, at: iso(w.hlc) } : null;
  };
  const list = (field: 'factor' | 'went-well' | 'was-hard'): RetroItem[] => {
    const prefix = `retro:${field}:`;
    const ids = new Set(keys.filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length).split(':')[0]!));
    const items: Array<RetroItem & { first: RegWrite }> = [];
    for (const id of ids) {
      const base = `${prefix}${id}`;
      if (cell<boolean>(last(acc, `${base}:removed`))?.v === true) continue;
      const textCell = cell<string>(last(acc, `${base}:text`));
      // A category set on an item whose text never arrived is not an item anyone can read.
      if (!textCell) continue;
      const first = [`${base}:text`, `${base}:category`, `${base}:removed`].flatMap((k) => writes(acc, k)).sort(byOrder)[0]!;
      const firstCell = cell<unknown>(first)!;
      const category = field === 'factor' ? (cell<FactorCategory>(last(acc, `${base}:category`))?.v ?? 'other') : null;
      items.push({ id, text: textCell.v, category, addedBy: firstCell.by, addedAt: iso(first.hlc), first });
    }
    // In the order they were added, the same on every replica.
    return items.sort((a, b) => byOrder(a.first, b.first)).map(({ first: _first, ...item }) => item);
  };
  const remediation = keys
    .filter((k) => k.startsWith('retro:remediation:'))
    // Only actions of this incident: a link to anything else is ignored, in any arrival order.
    .filter((k) => acc.entries[k.slice('retro:remediation:'.length)]?.kind === 'action.added')
    .map((k) => ({ action: k.slice('retro:remediation:'.length), w: last(acc, k)!, first: writes(acc, k)[0]! }))
    .filter((r) => cell<boolean>(r.w)?.v === true)
    .sort((a, b) => byOrder(a.first, b.first))
    .map((r) => r.action);

  const conflicts: Conflict[] = [];
  for (const key of keys) {
    const all = writes(acc, key);
    const seen = new Set(all.flatMap((w) => w.supersedes));
    const heads = all.filter((w) => !seen.has(w.id));
    if (heads.length < 2) continue;
    const field = key.slice('retro:'.length);
    const label = FIELD_LABEL[field] ?? `edits of one ${field.split(':')[0]} item`;
    conflicts.push({ field: key, label: `${heads.length} concurrent ${label}`, values: heads.map((w) => String(cell<unknown>(w)?.v ?? '')) });
  }
  const latest = keys.flatMap((k) => writes(acc, k)).sort(byOrder).pop();

  return {
    status: retroStatusOf(acc),
    summary: text('summary'),
    impact: text('impact'),
    factors: list('factor'),
    wentWell: list('went-well'),
    wasHard: list('was-hard'),
    remediation,
    conflicts,
    editedAt: latest ? iso(latest.hlc) : null,
  };
}
