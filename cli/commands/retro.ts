import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { RetroDocument } from '../../shared/api/followup-methods.js';
import { EXPORT_FORMATS, type ExportFormat } from '../../shared/api/followup-methods.js';
import { ConnError } from '../../shared/domain/errors.js';
import { newId } from '../../shared/domain/ids.js';
import { FACTOR_CATEGORIES, type RetroEdit } from '../../shared/domain/retro.js';
import { checkRetro, retroMarkdown } from '../../shared/reports/retrospective.js';
import { formatInZone } from '../../shared/time/zone.js';
import { append, type AppendContext } from '../append.js';
import { factorCategoryArg, retroStateArg, textArg, timeZoneArg } from '../cli-input.js';
import { globalsOf, output } from '../context.js';
import { entryIdOf, incidentOf } from '../lookups.js';
import { withApi, type Api } from '../open-core.js';
import { terminalSafe } from '../terminal-safe.js';

/*
 * The retrospective from a terminal: read it, check its wording, export it, and change it one
 * field at a time. Each change is one `retro.edited` or `retro.state` event through
 * `events.append` (cli/append.ts), the same write the app's editor makes. `conn actions` lists
 * follow-up across every incident.
 */

const LISTS = { factor: 'factor', 'went-well': 'went-well', 'was-hard': 'was-hard' } as const;
type ListField = keyof typeof LISTS;
const ITEM_HELP = '\nAn item id is the one in [brackets] after it in `conn retro REF`, or a start of it only one item has (at least 6 characters).';

function listArg(input: string): ListField {
  const s = input.trim().toLowerCase().replace(/[\s_]+/g, '-');
  const hit = (Object.keys(LISTS) as ListField[]).find((k) => k === s) ?? ({ factors: 'factor', 'contributing-factor': 'factor', well: 'went-well', hard: 'was-hard' } as Record<string, ListField>)[s];
  if (!hit) throw new ConnError('invalid-input', `unknown list "${input}": use factor, went-well or was-hard`);
  return hit;
}

function formatArg(input: string): ExportFormat {
  const hit = EXPORT_FORMATS.find((f) => f === input.trim().toLowerCase());
  if (!hit) throw new ConnError('invalid-input', `unknown format "${input}": use md, html or pdf`);
  return hit;
}

async function retroOf(api: Api, ref: string): Promise<RetroDocument> {
  const incident = await incidentOf(api, ref);
  return api.call('retro.get', { ref: incident.id });
}

/** An item of any of the three lists, by id or a unique start of one, with the list it is in. */
async function itemOf(ctx: AppendContext, input: string): Promise<{ item: string; field: ListField }> {
  const doc = await ctx.api.call('retro.get', { ref: ctx.incident.id });
  const all = [
    ...doc.retro.factors.map((i) => ({ item: i.id, field: 'factor' as const })),
    ...doc.retro.wentWell.map((i) => ({ item: i.id, field: 'went-well' as const })),
    ...doc.retro.wasHard.map((i) => ({ item: i.id, field: 'was-hard' as const })),
  ];
  const id = await entryIdOf(input, { what: 'item', where: `\`conn retro ${ctx.incident.ref}\``, candidates: () => all.map((i) => i.item) });
  const hit = all.find((i) => i.item === id);
  if (!hit) throw new ConnError('not-found', `no item ${id} in the retrospective of ${ctx.incident.ref}; \`conn retro ${ctx.incident.ref}\` lists them`);
  return hit;
}

function retroEdit(g: ReturnType<typeof globalsOf>, ref: string, edit: (ctx: AppendContext) => RetroEdit | Promise<RetroEdit>, said: string) {
  return append(g, ref, 'retro.edited', edit, said, { text: 'TEXT', category: '--category', item: 'ITEM_ID', target: 'ACTION_ID' });
}

export function register(program: Command): void {
  program
    .command('retro')
    .description('the retrospective of an incident: print it, check its wording (--check), or export it (--format md|html|pdf --out FILE)')
    .argument('<ref>', 'the incident reference or id')
    .option('--tz <zone>', "times in this IANA zone instead of your profile's")
    .option('--check', 'list blame-assigning phrases with a suggestion for each; exits 1 when there are any')
    .option('--format <format>', 'md, html or pdf (pdf is printed by Chromium and needs --out)')
    .option('--out <file>', 'write it to a file instead of printing it')
    .addHelpText(
      'after',
      '\nChange it with `conn retro-set`, `conn retro-add`, `conn retro-change`, `conn retro-remove`, `conn retro-link` and `conn retro-state`; pin timeline entries (in the app) to make them key moments.',
    )
    .action(async (ref: string, opts: { tz?: string; check?: boolean; format?: string; out?: string }, cmd: Command) => {
      const g = globalsOf(cmd);
      // Read everything typed before opening the database: a typo changes nothing and costs nothing.
      const tz = opts.tz === undefined ? undefined : timeZoneArg(opts.tz);
      const format = opts.format === undefined ? undefined : formatArg(opts.format);
      if (opts.check && (format !== undefined || opts.out !== undefined)) throw new ConnError('invalid-input', '--check lists findings only: run it without --format and --out');
      if (format === 'pdf' && opts.out === undefined) throw new ConnError('invalid-input', 'a PDF goes to a file: add --out FILE.pdf');
      if (opts.check) {
        const { findings, ref: incidentRef } = await withApi(g, async (api) => {
          const doc = await retroOf(api, ref);
          return { findings: checkRetro(doc), ref: doc.incident.ref };
        });
        output(g, { ref: incidentRef, findings }, () =>
          findings.length
            ? [`${findings.length} phrase(s) in the retrospective of ${incidentRef} assign blame:`, ...findings.map((f) => `- ${f.where}: "${terminalSafe(f.match)}" — ${f.suggestion}`)].join('\n')
            : `The retrospective of ${incidentRef} reads blameless: no phrase assigns blame.`,
        );
        // Findings are advice, not an error, but a script (or CI) must be able to stop on them.
        if (findings.length) process.exitCode = 1;
        return;
      }
      if (format !== undefined || opts.out !== undefined) {
        const file = await withApi(g, async (api) => {
          const incident = await incidentOf(api, ref);
          return api.call('retro.export', { ref: incident.id, format: format ?? 'md', ...(tz !== undefined ? { timeZone: tz } : {}) });
        });
        if (opts.out === undefined) {
          output(g, file, () => terminalSafe(file.content));
          return;
        }
        writeFileSync(opts.out, file.encoding === 'base64' ? Buffer.from(file.content, 'base64') : file.content, { flag: 'w' });
        output(g, { written: opts.out, format: file.format, bytes: file.encoding === 'base64' ? Buffer.from(file.content, 'base64').length : Buffer.byteLength(file.content) }, () => `wrote ${opts.out} (${file.format})`);
        return;
      }
      const { doc, markdown } = await withApi(g, async (api) => {
        const doc = await retroOf(api, ref);
        const zone = tz ?? (await api.call('profile.get', {})).timeZone;
        return { doc, markdown: retroMarkdown(doc, zone, { ids: true }) };
      });
      output(g, doc, () => terminalSafe(markdown));
    });

  program
    .command('retro-set')
    .description("write the retrospective's summary or impact (an empty text clears it)")
    .argument('<ref>', 'the incident reference or id')
    .argument('<field>', 'summary or impact')
    .argument('[text...]', 'the text; - reads stdin')
    .option('--file <path>', 'read the text from a file')
    .option('--clear', 'clear the field')
    .action(async (ref: string, fieldInput: string, words: string[], opts: { file?: string; clear?: boolean }, cmd: Command) => {
      const field = fieldInput.trim().toLowerCase();
      if (field !== 'summary' && field !== 'impact') throw new ConnError('invalid-input', `unknown field "${fieldInput}": use summary or impact`);
      if (opts.clear && (words.length || opts.file !== undefined)) throw new ConnError('invalid-input', '--clear takes no text');
      const text = opts.clear ? '' : await textArg(words, opts.file);
      await retroEdit(globalsOf(cmd), ref, () => ({ field, text }), `Retrospective ${field} ${opts.clear ? 'cleared' : 'saved'}`);
    });

  program
    .command('retro-add')
    .description('add a contributing factor, something that went well, or something that was hard')
    .argument('<ref>', 'the incident reference or id')
    .argument('<list>', 'factor, went-well or was-hard')
    .argument('[text...]', 'the item; - reads stdin')
    .option('--category <category>', `a factor's category: ${FACTOR_CATEGORIES.join(', ')} (default other)`)
    .action(async (ref: string, listInput: string, words: string[], opts: { category?: string }, cmd: Command) => {
      const field = listArg(listInput);
      if (opts.category !== undefined && field !== 'factor') throw new ConnError('invalid-input', 'only a contributing factor has a category');
      const category = field === 'factor' ? factorCategoryArg(opts.category ?? 'other') : undefined;
      const text = await textArg(words, undefined);
      await retroEdit(globalsOf(cmd), ref, () => ({ field, item: newId(), text, ...(category ? { category } : {}) }), `Retrospective ${field} added`);
    });

  program
    .command('retro-change')
    .description("change an item's words, or a factor's category")
    .argument('<ref>', 'the incident reference or id')
    .argument('<item-id>', 'the item (its id, or a start of it)')
    .argument('[text...]', 'the new words; - reads stdin; leave out to keep them')
    .option('--category <category>', `a factor's new category: ${FACTOR_CATEGORIES.join(', ')}`)
    .addHelpText('after', ITEM_HELP)
    .action(async (ref: string, id: string, words: string[], opts: { category?: string }, cmd: Command) => {
      const category = opts.category === undefined ? undefined : factorCategoryArg(opts.category);
      const text = words.length ? await textArg(words, undefined) : undefined;
      if (text === undefined && category === undefined) throw new ConnError('invalid-input', 'nothing to change: give the new words or --category');
      await retroEdit(
        globalsOf(cmd),
        ref,
        async (ctx) => {
          const { item, field } = await itemOf(ctx, id);
          if (category !== undefined && field !== 'factor') throw new ConnError('invalid-input', `item ${item} is a ${field} item: only a contributing factor has a category`);
          return { field, item, ...(text !== undefined ? { text } : {}), ...(category !== undefined ? { category } : {}) };
        },
        'Retrospective item changed',
      );
    });

  program
    .command('retro-remove')
    .description('remove an item from the retrospective')
    .argument('<ref>', 'the incident reference or id')
    .argument('<item-id>', 'the item (its id, or a start of it)')
    .addHelpText('after', ITEM_HELP)
    .action(async (ref: string, id: string, _opts: unknown, cmd: Command) => {
      await retroEdit(
        globalsOf(cmd),
        ref,
        async (ctx) => {
          const { item, field } = await itemOf(ctx, id);
          return { field, item, removed: true };
        },
        'Retrospective item removed',
      );
    });

  program
    .command('retro-link')
    .description("link one of the incident's action items to the retrospective as remediation (--unlink undoes it)")
    .argument('<ref>', 'the incident reference or id')
    .argument('<action-id>', 'the action (its id, or a start of it; `conn show REF` lists them)')
    .option('--unlink', 'no longer count it as remediation')
    .action(async (ref: string, id: string, opts: { unlink?: boolean }, cmd: Command) => {
      await retroEdit(
        globalsOf(cmd),
        ref,
        async ({ incident }) => ({
          field: 'remediation',
          target: await entryIdOf(id, { what: 'action', where: `\`conn show ${incident.ref}\``, candidates: () => incident.actions.map((a) => a.id) }),
          linked: !opts.unlink,
        }),
        opts.unlink ? 'Remediation unlinked' : 'Remediation linked',
      );
    });

  program
    .command('retro-state')
    .description('move the retrospective to draft, in-review or published (publishing: the commander or an admin)')
    .argument('<ref>', 'the incident reference or id')
    .argument('<state>', 'draft, in-review or published')
    .action(async (ref: string, stateInput: string, _opts: unknown, cmd: Command) => {
      const state = retroStateArg(stateInput);
      await append(globalsOf(cmd), ref, 'retro.state', () => ({ state }), `Retrospective ${state}`);
    });

  program
    .command('actions')
    .description('open action items across every incident, oldest due first')
    .option('--mine', 'only the ones you own (your profile name)')
    .option('--owner <name>', "only this person's")
    .option('--overdue', 'only the ones past their due time')
    .option('--all', 'done and cancelled ones too')
    .option('--tz <zone>', "times in this IANA zone instead of your profile's")
    .action(async (opts: { mine?: boolean; owner?: string; overdue?: boolean; all?: boolean; tz?: string }, cmd: Command) => {
      const g = globalsOf(cmd);
      const tz = opts.tz === undefined ? undefined : timeZoneArg(opts.tz);
      if (opts.mine && opts.owner !== undefined) throw new ConnError('invalid-input', 'give --mine or --owner, not both');
      const { rows, zone } = await withApi(g, async (api) => ({
        rows: await api.call('actions.list', {
          ...(opts.mine ? { mine: true } : {}),
          ...(opts.owner !== undefined ? { owner: opts.owner } : {}),
          ...(opts.overdue ? { overdue: true } : {}),
          ...(opts.all ? { all: true } : {}),
        }),
        zone: tz ?? (await api.call('profile.get', {})).timeZone,
      }));
      const now = Date.now();
      output(g, rows, () => {
        if (!rows.length) return opts.overdue ? 'Nothing overdue.' : 'No open action items.';
        return rows
          .map((r) => {
            const a = r.action;
            const due = a.due === null ? 'no due time' : `${a.state === 'open' && Date.parse(a.due) < now ? 'OVERDUE since' : 'due'} ${formatInZone(a.due, zone, { seconds: false })}`;
            const state = a.state === 'open' ? '' : ` (${a.state})`;
            return `${r.ref}  ${terminalSafe(a.redacted ? '(redacted)' : (a.text.split('\n')[0] ?? ''))}${state} — ${a.owner ?? 'no owner'}, ${due}  [${a.id}]`;
          })
          .join('\n');
      });
    });
}
