import type { FoldAcc, IncidentState } from '../domain/fold.js';

/*
 * What an incident's own search document holds (one per incident, beside one per timeline entry):
 * its title, summary, services and retrospective. Pure, so the migration's backfill and the
 * projector's flush index the same words.
 */

interface RegisterWrite {
  id: string;
  hlc: string;
  value: unknown;
}

/** The write a last-writer-wins register shows: the greatest (hlc, id). */
function winner(reg: Record<string, RegisterWrite> | undefined): RegisterWrite | undefined {
  let best: RegisterWrite | undefined;
  for (const w of Object.values(reg ?? {})) {
    if (!best || w.hlc > best.hlc || (w.hlc === best.hlc && w.id > best.id)) best = w;
  }
  return best;
}

/** A retrospective register's current value, `{ v, by }` as retro.edited writes it. */
function retroValue(acc: FoldAcc, key: string): unknown {
  const w = winner(acc.registers[key] as Record<string, RegisterWrite> | undefined);
  return (w?.value as { v?: unknown } | undefined)?.v;
}

/**
 * The words of the incident's retrospective, whatever fields it has: the current value of every
 * `retro:` register that holds text, leaving out list items marked removed (`…:removed`). This
 * is the rule that picks up retrospective fields added later without a change here. The
 * retrospective's registers are written by `retro.edited` (shared/domain/retro.ts, when merged).
 */
export function retroSearchText(acc: FoldAcc): string {
  const keys = Object.keys(acc.registers).filter((k) => k.startsWith('retro:'));
  const removed = new Set(keys.filter((k) => k.endsWith(':removed') && retroValue(acc, k) === true).map((k) => k.slice(0, -':removed'.length)));
  const words: string[] = [];
  for (const key of keys.sort()) {
    if (removed.has(key.slice(0, key.lastIndexOf(':')))) continue;
    const v = retroValue(acc, key);
    if (typeof v === 'string' && v.trim() !== '') words.push(v);
  }
  return words.join('\n');
}

/** The text of an incident's search document; '' for an incident not yet declared here. */
export function incidentSearchText(state: IncidentState, acc: FoldAcc): string {
  if (!state.declared) return '';
  return [state.title, state.summary ?? '', state.services.join(' '), retroSearchText(acc)].filter((s) => s !== '').join('\n');
}

/** What a past incident taught, shown beside a similar incident (shared/search/results.ts). */
export interface IncidentLessons {
  /** Contributing factors from its retrospective; empty when it has none. */
  factors: string[];
  /** Remediation: the actions its retrospective links, else every action it recorded. */
  remediation: string[];
  /** The retrospective's summary, else the incident's own summary. */
  summary: string | null;
  fromRetrospective: boolean;
}

/**
 * The lessons of a past incident. This is the one function retrospective data plugs into: it
 * reads the `retro:` registers the retrospective's events write (factors under
 * `retro:factor:ID:text`, remediation links under `retro:remediation:ACTION`), and falls back to
 * the incident's actions and summary when it has no retrospective. Once projectRetro
 * (shared/domain/retro.ts) is on this branch, `projectRetro(acc)` can replace the register reads.
 */
export function incidentLessons(state: IncidentState, acc: FoldAcc): IncidentLessons {
  const keys = Object.keys(acc.registers).filter((k) => k.startsWith('retro:')).sort();
  const isRemoved = (base: string) => retroValue(acc, `${base}:removed`) === true;
  const factors = keys
    .filter((k) => /^retro:factor:[^:]+:text$/.test(k) && !isRemoved(k.slice(0, -':text'.length)))
    .map((k) => retroValue(acc, k))
    .filter((v): v is string => typeof v === 'string' && v !== '');
  const actionText = new Map(state.actions.filter((a) => !a.redacted).map((a) => [a.id, a.text]));
  const linked = keys
    .filter((k) => k.startsWith('retro:remediation:') && retroValue(acc, k) === true)
    .map((k) => actionText.get(k.slice('retro:remediation:'.length)))
    .filter((t): t is string => t !== undefined && t !== '');
  const retroSummary = retroValue(acc, 'retro:summary');
  const fromRetrospective = factors.length > 0 || linked.length > 0 || (typeof retroSummary === 'string' && retroSummary !== '');
  return {
    factors,
    remediation: linked.length > 0 ? linked : state.actions.filter((a) => a.text !== '' && !a.redacted).map((a) => a.text),
    summary: typeof retroSummary === 'string' && retroSummary !== '' ? retroSummary : state.summary,
    fromRetrospective,
  };
}
