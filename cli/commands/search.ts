import type { Command } from 'commander';
import type { SnippetSegment } from '../../shared/runbooks/results.js';
import type { IncidentSearchHit, SimilarIncident, TimelineSearchHit } from '../../shared/search/results.js';
import { formatInZone } from '../../shared/time/zone.js';
import { fail, globalsOf, output } from '../context.js';
import { incidentOf } from '../lookups.js';
import { withApi } from '../open-core.js';
import { terminalSafe } from '../terminal-safe.js';
import { sinceArg } from './reports.js';

/** A snippet for a terminal: matched words in [brackets], so they show without colour too. */
function snippetText(segments: SnippetSegment[]): string {
  return terminalSafe(segments.map((s) => (s.hit ? `[${s.text}]` : s.text)).join('').replace(/\s+/g, ' ').trim());
}

function incidentHitText(h: IncidentSearchHit, zone: string): string {
  const when = h.declaredAt ? formatInZone(h.declaredAt, zone, { date: true }) : 'not declared';
  const where = h.match.kind === 'incident' ? 'title, summary or retrospective' : `${h.match.entryKind} ${h.match.entryId.slice(-8)}`;
  const services = h.services.length ? ` · ${h.services.join(', ')}` : '';
  return `${h.ref}  SEV${h.severity} ${h.status}  ${terminalSafe(h.title)}${terminalSafe(services)} · declared ${when}\n    ${snippetText(h.snippet)}  (${where}; ${h.matches} ${h.matches === 1 ? 'match' : 'matches'})`;
}

function entryHitText(h: TimelineSearchHit, zone: string): string {
  return `${formatInZone(h.at, zone, { date: true })}  ${h.id.slice(-8)}  ${h.kind}  ${terminalSafe(h.author)}: ${snippetText(h.snippet)}`;
}

function similarText(s: SimilarIncident): string {
  const why = [s.sharedServices.length ? `services ${s.sharedServices.join(', ')}` : '', s.sharedWords.length ? `words ${s.sharedWords.join(', ')}` : ''].filter(Boolean).join('; ');
  const lines = [`${s.ref}  SEV${s.severity} ${s.status}  ${terminalSafe(s.title)}  (${why})`];
  if (s.lessons.factors.length) lines.push(`    contributing factors: ${terminalSafe(s.lessons.factors.join('; '))}`);
  if (s.lessons.remediation.length) lines.push(`    remediation: ${terminalSafe(s.lessons.remediation.join('; '))}`);
  if (s.lessons.summary) lines.push(`    summary: ${terminalSafe(s.lessons.summary)}`);
  return lines.join('\n');
}

function limitArg(input: string): number {
  const n = Number(input);
  if (!Number.isInteger(n) || n < 1 || n > 100) fail('invalid-input', `--limit takes a whole number from 1 to 100, not "${input}"`);
  return n;
}

/** `conn search` and `conn similar`: finding past incidents and entries by their words. */
export function register(program: Command): void {
  program
    .command('search')
    .description("find incidents by the words of their title, summary, services, entries, minutes or retrospective, best match first; with --incident, one incident's entries, newest first")
    .argument('<query...>', 'words to find; "quoted words" as a phrase, word* as a prefix')
    .option('--service <service>', 'only incidents of this service')
    .option('--since <when>', 'only incidents declared since: 90d, 8h, 90m or an ISO time')
    .option('--incident <ref>', "search this incident's timeline instead")
    .option('--limit <n>', 'at most this many results (default 20)')
    .addHelpText('after', '\nEvery word is searched as written: punctuation and FTS operators are plain text.\nWith --json: the hits, each with its snippet as segments ({ text, hit }).')
    .action(async (words: string[], opts: { service?: string; since?: string; incident?: string; limit?: string }, cmd: Command) => {
      const g = globalsOf(cmd);
      const query = words.join(' ');
      // Read what was typed before anything is opened.
      const since = opts.since === undefined ? undefined : sinceArg(opts.since, Date.now()).toISOString();
      const limit = opts.limit === undefined ? undefined : limitArg(opts.limit);
      if (opts.incident !== undefined) {
        const incidentRef = opts.incident;
        const got = await withApi(g, async (api) => {
          const incident = await incidentOf(api, incidentRef);
          const result = await api.call('timeline.search', { incidentId: incident.id, query, ...(limit !== undefined ? { limit } : {}) });
          return { result, ref: incident.ref, zone: (await api.call('profile.get', {})).timeZone };
        });
        output(g, got.result, () =>
          got.result.hits.length === 0
            ? `No entry of ${got.ref} matches.`
            : `${got.result.total} ${got.result.total === 1 ? 'entry' : 'entries'} of ${got.ref} match${got.result.total > got.result.hits.length ? ` (the newest ${got.result.hits.length} shown)` : ''}:\n${got.result.hits.map((h) => entryHitText(h, got.zone)).join('\n')}`,
        );
        return;
      }
      const got = await withApi(g, async (api) => ({
        hits: await api.call('search.incidents', { query, ...(opts.service !== undefined ? { service: opts.service } : {}), ...(since !== undefined ? { since } : {}), ...(limit !== undefined ? { limit } : {}) }),
        zone: (await api.call('profile.get', {})).timeZone,
      }));
      output(g, got.hits, () => (got.hits.length === 0 ? 'No incident matches.' : got.hits.map((h) => incidentHitText(h, got.zone)).join('\n')));
    });

  program
    .command('similar')
    .description('resolved and closed incidents like this one (shared services, similar words), with their contributing factors and remediation')
    .argument('<ref>', 'the incident reference or id')
    .action(async (ref: string, _opts: unknown, cmd: Command) => {
      const g = globalsOf(cmd);
      const similar = await withApi(g, async (api) => api.call('incidents.similar', { incidentId: (await incidentOf(api, ref)).id }));
      output(g, similar, () => (similar.length === 0 ? 'No similar past incident.' : similar.map(similarText).join('\n')));
    });
}
