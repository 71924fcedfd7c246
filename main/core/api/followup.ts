import type { z } from 'zod';
import type { ResultOf } from '../../../shared/api/contract.js';
import type { FOLLOWUP_METHODS, FollowUpAction, RetroDocument, RetroExport } from '../../../shared/api/followup-methods.js';
import { ConnError } from '../../../shared/domain/errors.js';
import type { ActionItem, FoldAcc } from '../../../shared/domain/fold.js';
import { projectRetro } from '../../../shared/domain/retro.js';
import type { Severity } from '../../../shared/domain/severity.js';
import type { Status } from '../../../shared/domain/status.js';
import { isValidTimeZone } from '../../../shared/time/zone.js';
import { retroHtml } from '../../../shared/reports/retro-html.js';
import { retroMarkdown } from '../../../shared/reports/retrospective.js';
import type { Core } from '../open.js';
import { printPdf } from './retro-pdf.js';

/*
 * Follow-up across every incident, and the retrospective of one. The action list is one query
 * over the incident rows' projected state (json_each over state_json in SQLite), filtered and
 * sorted there: it never folds an incident or loads a timeline.
 */

type FollowUpMethod = keyof typeof FOLLOWUP_METHODS;
type FollowUpHandlers = { [M in FollowUpMethod]: (core: Core, params: z.output<(typeof FOLLOWUP_METHODS)[M]>) => ResultOf<M> | Promise<ResultOf<M>> };

const DEFAULT_LIMIT = 500;

interface ActionRow {
  id: string;
  ref: string;
  title: string;
  severity: number;
  status: string;
  action: string;
}

/*
 * Due times are ISO 8601 with any offset, so they are compared as instants (julianday), never as
 * strings. Undated actions sort last; ties go by incident reference, then the action's own order.
 */
const ACTIONS_SQL = `
  SELECT i.id, i.ref, i.title, i.severity, i.status, a.value AS action
  FROM incidents i, json_each(i.state_json, '$.actions') a
  WHERE i.declared_at IS NOT NULL
    -- Most incidents of a team's history have no open action left: a byte search skips them before
    -- any JSON is parsed (an open hypothesis also matches; json_each then finds no open action).
    AND (@all = 1 OR instr(i.state_json, '"state":"open"') > 0)
    AND (@all = 1 OR json_extract(a.value, '$.state') = 'open')
    AND (@owner IS NULL OR json_extract(a.value, '$.owner') = @owner COLLATE NOCASE)
    AND (@overdue = 0 OR (json_extract(a.value, '$.state') = 'open' AND julianday(json_extract(a.value, '$.due')) < julianday(@now)))
  ORDER BY json_extract(a.value, '$.due') IS NULL, julianday(json_extract(a.value, '$.due')), i.ref, a.key
  LIMIT @limit`;

export function listActions(core: Core, p: z.output<(typeof FOLLOWUP_METHODS)['actions.list']>): FollowUpAction[] {
  if (p.mine && p.owner !== undefined) throw new ConnError('invalid-input', 'ask for your own actions (mine) or for one owner\'s, not both');
  const owner = p.mine ? core.profile.get().name : (p.owner ?? null);
  const rows = core.db
    .prepare<{ all: number; owner: string | null; overdue: number; now: string; limit: number }, ActionRow>(ACTIONS_SQL)
    .all({ all: p.all ? 1 : 0, owner, overdue: p.overdue ? 1 : 0, now: new Date().toISOString(), limit: p.limit ?? DEFAULT_LIMIT });
  return rows.map((r) => ({
    incidentId: r.id,
    ref: r.ref,
    title: r.title,
    severity: r.severity as Severity,
    status: r.status as Status,
    action: JSON.parse(r.action) as ActionItem,
  }));
}

export function retroDocument(core: Core, ref: string): RetroDocument {
  const incident = core.incidents.get(ref);
  const row = core.db.prepare<[string], { acc_json: string }>('SELECT acc_json FROM incidents WHERE id = ?').get(incident.id);
  if (!row) throw new ConnError('not-found', `no incident ${ref}`);
  const retro = projectRetro(JSON.parse(row.acc_json) as FoldAcc);
  // Key moments are the entries people pinned, oldest first; at most one window of them.
  const keyMoments = core.timeline({ incidentId: incident.id, limit: 500, pinned: true }).items;
  return { incident, retro, keyMoments };
}

const MIME = { md: 'text/markdown; charset=utf-8', html: 'text/html; charset=utf-8', pdf: 'application/pdf' } as const;

export async function exportRetro(core: Core, p: z.output<(typeof FOLLOWUP_METHODS)['retro.export']>): Promise<RetroExport> {
  const timeZone = p.timeZone ?? core.profile.get().timeZone;
  if (!isValidTimeZone(timeZone)) throw new ConnError('invalid-input', `unknown time zone "${timeZone}": use an IANA name like Europe/Berlin`);
  const doc = retroDocument(core, p.ref);
  const fileName = `${doc.incident.ref}-retrospective.${p.format}`;
  if (p.format === 'md') return { format: 'md', fileName, mime: MIME.md, encoding: 'utf8', content: retroMarkdown(doc, timeZone) };
  const html = retroHtml(doc, timeZone);
  if (p.format === 'html') return { format: 'html', fileName, mime: MIME.html, encoding: 'utf8', content: html };
  const pdf = await printPdf(html);
  return { format: 'pdf', fileName, mime: MIME.pdf, encoding: 'base64', content: pdf.toString('base64') };
}

/** The follow-up methods' handlers, spread into the core's handler map (handlers.ts). */
export const FOLLOWUP_HANDLERS: FollowUpHandlers = {
  'actions.list': (core, p) => listActions(core, p),
  'retro.get': (core, p) => retroDocument(core, p.ref),
  'retro.export': (core, p) => exportRetro(core, p),
};
