import type { Suggestion } from '../../../shared/runbooks/results.js';
import { significantWords } from '../../../shared/search/stopwords.js';
import type { RunbookLibrary } from '../store/runbook-library.js';

/**
 * Runbooks for an incident, best first: a runbook for one of the incident's services ranks
 * above one that only shares words with its title; among equals, the better text match wins.
 * Each suggestion says why, so the IC can judge it in a glance.
 */
export function suggestRunbooks(lib: RunbookLibrary, incident: { title: string; services: string[] }, limit = 5): Suggestion[] {
  const scored = new Map<string, { score: number; reasons: string[] }>();
  const bump = (name: string, score: number, reason: string): void => {
    const s = scored.get(name) ?? { score: 0, reasons: [] };
    s.score += score;
    if (!s.reasons.includes(reason)) s.reasons.push(reason);
    scored.set(name, s);
  };
  const wanted = new Set(incident.services.map((s) => s.toLowerCase()));
  const heads = lib.list();
  for (const r of heads) {
    for (const svc of r.services) if (wanted.has(svc.toLowerCase())) bump(r.name, 100, `service ${svc}`);
  }
  const words = significantWords(incident.title);
  if (words.length > 0) {
    // OR: any title word may match; bm25 already prefers runbooks that match more of them.
    const fts = words.map((w) => `"${w}"`).join(' OR ');
    const hits = lib.matchNames(fts, 20);
    hits.forEach((h, i) => bump(h.name, 50 - i, `title: ${matchedWords(lib, h.name, words)}`));
  }
  const byName = new Map(heads.map((h) => [h.name, h]));
  return [...scored.entries()]
    .sort((a, b) => b[1].score - a[1].score || (a[0] < b[0] ? -1 : 1))
    .slice(0, limit)
    .map(([name, s]) => {
      const h = byName.get(name);
      return { name, title: h?.title ?? name, stale: h?.stale ?? false, reasons: s.reasons };
    });
}

function matchedWords(lib: RunbookLibrary, name: string, words: string[]): string {
  const hit = words.filter((w) => lib.matchNames(`name:"${name}" AND "${w}"`, 1).length > 0);
  return (hit.length ? hit : words).slice(0, 3).join(', ');
}
