import { readFileSync, statSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { ConnError } from '../../shared/domain/errors.js';
import type { BreakGlassPack } from '../../shared/runbooks/breakglass.js';
import { BREAKGLASS_MAX_BYTES } from '../../shared/runbooks/breakglass.js';
import { RUNBOOK_METHODS } from '../../shared/runbooks/methods.js';
import { formatBytes } from '../../shared/runbooks/document.js';
import type { ImportReport, RunbookDetail, RunbookSummary, SearchHit, SnippetSegment, Suggestion } from '../../shared/runbooks/results.js';
import type { AttachedRunbook } from '../../shared/domain/fold.js';
import type { RunbookPullReport } from '../../main/core/runbooks/share.js';
import { BreakGlassStore, breakGlassToYaml, parseBreakGlass } from '../../main/core/runbooks/breakglass-store.js';
import { exportDirectory, importDirectory } from '../../main/core/runbooks/import-export.js';
import { authorName, runbooksOf } from '../../main/core/runbooks/service.js';
import { formatInZone } from '../../shared/time/zone.js';
import { checkedInput, timeZoneArg } from '../cli-input.js';
import { fail, globalsOf, output, showProgress } from '../context.js';
import { incidentOf } from '../lookups.js';
import { withApi, withCore } from '../open-core.js';
import { resolveStep } from '../step-ref.js';
import { terminalSafe } from '../terminal-safe.js';

/*
 * `conn runbook ...` and `conn breakglass ...`: the offline runbook library from a terminal.
 * Searching, reading, suggesting, attaching and checking a step are the API's methods, as in the
 * app; importing, exporting, settings, sharing with the hub and editing the break-glass pack have
 * no method (the app does not do them) and use the core's library directly.
 * Stored Markdown is printed as plain text with terminal control characters removed, so a
 * runbook cannot move the cursor, retitle the window or hide text (an ESC in a file is data).
 */

/** The most hits one search returns (the contract's bound). */
const MAX_SEARCH_LIMIT = 200;

const STALE_DAYS_HELP = 'days since last_verified after which a runbook is stale (default: the saved setting, 90)';

function positiveInt(name: string, value: string | undefined, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) fail('invalid-input', `${name} must be a whole number of 1 or more, not "${value}"`);
  if (n > max) fail('invalid-input', `${name} is at most ${max}, not ${value}`);
  return n;
}

export { terminalSafe };

function highlight(segments: SnippetSegment[], tty: boolean): string {
  return segments
    .map((s) => {
      const text = terminalSafe(s.text).replace(/\s+/g, ' ');
      if (!s.hit) return text;
      return tty ? `\u001b[1;33m${text}\u001b[0m` : `**${text}**`;
    })
    .join('');
}

const staleMark = (r: { stale: boolean }) => (r.stale ? '  [STALE]' : '');

function listText(rows: RunbookSummary[]): string {
  if (rows.length === 0) return 'no runbooks';
  const w = Math.max(...rows.map((r) => r.name.length));
  return rows
    .map((r) => `${r.name.padEnd(w)}  v${r.version}  ${terminalSafe(r.title)}  (verified ${r.lastVerified ?? 'never'})${staleMark(r)}`)
    .join('\n');
}

function searchText(hits: SearchHit[], tty: boolean): string {
  if (hits.length === 0) return 'no runbooks match';
  return hits
    .map((h, i) => `${i + 1}. ${h.name}  ${terminalSafe(h.title)}${staleMark(h)}\n   ${highlight(h.snippet, tty)}`)
    .join('\n');
}

function showText(r: RunbookDetail): string {
  const head = [
    `${terminalSafe(r.title)}${staleMark(r)}`,
    `${r.name}  version ${r.version} of ${r.headVersion}  by ${terminalSafe(r.author)}, ${r.updatedAt}  sha256 ${r.hash.slice(0, 12)}`,
    r.services.length ? `services: ${terminalSafe(r.services.join(', '))}` : null,
    r.tags.length ? `tags: ${terminalSafe(r.tags.join(', '))}` : null,
    r.owner ? `owner: ${terminalSafe(r.owner)}` : null,
    `last verified: ${r.lastVerified ?? 'never'}`,
  ].filter(Boolean);
  return `${head.join('\n')}\n\n${terminalSafe(r.body).trimEnd()}`;
}

function reportText(r: ImportReport): string {
  const lines = [`added ${r.added.length}, updated ${r.updated.length}, unchanged ${r.unchanged.length}, rejected ${r.rejected.length}`];
  for (const x of r.added) lines.push(`  added     ${x.name} (v${x.version})  ${x.file}`);
  for (const x of r.updated) lines.push(`  updated   ${x.name} (v${x.version})  ${x.file}`);
  for (const x of r.rejected) lines.push(`  rejected  ${x.file}: ${x.reason}`);
  return lines.join('\n');
}

/** Who did a step and when, in the reader's zone like every other time the CLI prints. */
function doneBy(s: { by?: string | null; at?: string | null }, zone: string): string {
  const when = s.at ? formatInZone(s.at, zone) : null;
  return [s.by ? terminalSafe(s.by) : null, when].filter(Boolean).join(', ');
}

function stepsText(runbooks: AttachedRunbook[], zone: string): string {
  if (runbooks.length === 0) return 'no runbook is attached';
  return runbooks
    .map((rb) => {
      const done = rb.steps.filter((s) => s.done).length;
      const steps = rb.steps.map((s, i) => `  ${String(i + 1).padStart(2)}. [${s.done ? 'x' : ' '}] ${terminalSafe(s.text)}  (${s.key})${s.done ? `  ${doneBy(s, zone)}` : ''}`);
      return [`${rb.name} v${rb.version}: ${done}/${rb.steps.length} done`, ...steps].join('\n');
    })
    .join('\n\n');
}

function suggestText(list: Suggestion[]): string {
  if (list.length === 0) return 'no runbook matches this incident\'s services or title';
  return list.map((s, i) => `${i + 1}. ${s.name}  ${terminalSafe(s.title)}${staleMark(s)}\n   because: ${s.reasons.join('; ')}`).join('\n');
}

export function breakGlassText(pack: BreakGlassPack): string {
  const out: string[] = [];
  if (pack.team) out.push(`Break-glass pack: ${pack.team}`);
  if (pack.escalation.length) {
    out.push('', 'Escalation');
    for (const c of pack.escalation) out.push(`  ${c.name}${c.role ? ` (${c.role})` : ''}${c.phone ? `  ${c.phone}` : ''}${c.email ? `  ${c.email}` : ''}${c.notes ? `\n    ${c.notes}` : ''}`);
  }
  if (pack.bridges.length) {
    out.push('', 'Bridges');
    for (const b of pack.bridges) out.push(`  ${b.name}${b.dialIn ? `  dial ${b.dialIn}` : ''}${b.pin ? `  pin ${b.pin}` : ''}${b.url ? `  ${b.url}` : ''}${b.notes ? `\n    ${b.notes}` : ''}`);
  }
  if (pack.statusPage) {
    out.push('', 'Status page');
    if (pack.statusPage.url) out.push(`  ${pack.statusPage.url}`);
    if (pack.statusPage.instructions) out.push(...pack.statusPage.instructions.split('\n').map((l) => `  ${l}`));
    for (const t of pack.statusPage.templates) out.push(`  template "${t.name}": ${t.text}`);
  }
  if (pack.notes) out.push('', 'Notes', ...pack.notes.split('\n').map((l) => `  ${l}`));
  return terminalSafe(out.join('\n').replace(/^\n/, ''));
}

function pulledPackText(p: NonNullable<RunbookPullReport['breakglass']>): string {
  const line = `  break-glass pack: team version ${p.version} by ${terminalSafe(p.author)}${p.outcome === 'unchanged' ? ' (unchanged)' : ''}`;
  return p.setAside ? `${line}; it replaced your unpublished edit, kept aside: \`conn breakglass show --set-aside\`` : line;
}

function readPackFile(file: string): string {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    fail('not-found', `no file at ${file}`);
  }
  if (size > BREAKGLASS_MAX_BYTES) fail('too-large', `${file} is ${formatBytes(size)}; a break-glass pack is at most ${formatBytes(BREAKGLASS_MAX_BYTES)}`);
  return readFileSync(file, 'utf8');
}

export function register(program: Command): void {
  const rb = program.command('runbook').alias('runbooks').description('the offline runbook library: import, search, show, attach to incidents');

  rb.command('import')
    .description('import a folder of Markdown runbooks (idempotent); reports added, updated, unchanged and rejected files')
    .argument('<dir>', 'a folder of .md files, e.g. a clone of the team runbook repo')
    .action(async (dir: string, _opts: unknown, cmd: Command) => {
      const g = globalsOf(cmd);
      const progress = showProgress(g);
      const report = await withCore(g, (core) =>
        importDirectory(runbooksOf(core), path.resolve(dir), {
          author: authorName(core),
          onProgress: progress
            ? (done, total, file) => process.stderr.write(`\r\u001b[2Kimporting ${done}/${total}${file ? ` ${terminalSafe(file).slice(0, 60)}` : ''}${done === total ? '\n' : ''}`)
            : undefined,
        }),
      );
      output(g, report, () => reportText(report));
      // The rest is imported, but a script (a runbook repo's CI, say) must see that a file was not.
      const n = report.rejected.length;
      if (n > 0) throw new ConnError('invalid-input', `${n} file${n === 1 ? ' was' : 's were'} rejected (listed above with the reasons); the others were imported`);
    });

  rb.command('search')
    .description('full-text search, best match first; "a phrase", prefix*')
    .argument('<query...>', 'words to find; quote a phrase, end a word with * for a prefix')
    .option('--limit <n>', 'at most this many results', '10')
    .option('--raw', 'pass the query to SQLite FTS5 as written (AND, OR, NOT, NEAR, column:)')
    .option('--stale-days <n>', STALE_DAYS_HELP)
    .action(async (words: string[], opts: { limit: string; raw?: boolean; staleDays?: string }, cmd: Command) => {
      const g = globalsOf(cmd);
      const limit = positiveInt('--limit', opts.limit, MAX_SEARCH_LIMIT);
      const staleDays = positiveInt('--stale-days', opts.staleDays);
      const params = { query: words.join(' '), limit, raw: opts.raw, staleDays };
      checkedInput(RUNBOOK_METHODS['runbooks.search'], params, { query: 'the search' });
      const hits = await withApi(g, (api) => api.call('runbooks.search', params));
      output(g, hits, () => searchText(hits, Boolean(process.stdout.isTTY)));
    });

  rb.command('show')
    .description('a runbook as plain text (the newest version, or --version N)')
    .argument('<name>', 'the runbook name, e.g. database-failover')
    .option('--version <n>', 'an older version')
    .option('--stale-days <n>', STALE_DAYS_HELP)
    .action(async (name: string, opts: { version?: string; staleDays?: string }, cmd: Command) => {
      const g = globalsOf(cmd);
      const version = positiveInt('--version', opts.version);
      const staleDays = positiveInt('--stale-days', opts.staleDays);
      const r = await withApi(g, (api) => api.call('runbooks.get', { name, version, staleDays }));
      output(g, r, () => showText(r));
    });

  rb.command('list')
    .description('every runbook with its version and last verification (--stale: only stale ones)')
    .option('--stale', 'only runbooks not verified within the stale threshold')
    .option('--stale-days <n>', STALE_DAYS_HELP)
    .action(async (opts: { stale?: boolean; staleDays?: string }, cmd: Command) => {
      const g = globalsOf(cmd);
      const staleDays = positiveInt('--stale-days', opts.staleDays);
      const rows = await withApi(g, (api) => api.call('runbooks.list', { stale: opts.stale, staleDays }));
      output(g, rows, () => listText(rows));
    });

  rb.command('export')
    .description('write every runbook (newest version, front matter included) to DIR/NAME.md')
    .argument('<dir>', 'the folder to write to (created if missing)')
    .action(async (dir: string, _opts: unknown, cmd: Command) => {
      const g = globalsOf(cmd);
      const written = await withCore(g, (core) => exportDirectory(runbooksOf(core), path.resolve(dir)));
      output(g, written, () => `exported ${written.length} runbook${written.length === 1 ? '' : 's'} to ${path.resolve(dir)}`);
    });

  rb.command('config')
    .description('show or change runbook settings')
    .option('--stale-days <n>', 'flag runbooks as stale when last verified more than this many days ago')
    .action(async (opts: { staleDays?: string }, cmd: Command) => {
      const g = globalsOf(cmd);
      const days = positiveInt('--stale-days', opts.staleDays);
      const staleDays = await withCore(g, (core) => {
        const lib = runbooksOf(core);
        if (days !== undefined) lib.setStaleDays(days);
        return lib.staleDays();
      });
      output(g, { staleDays }, () => `stale after ${staleDays} days`);
    });

  rb.command('attach')
    .description("attach a runbook to an incident: its task-list items (- [ ] step) become the incident's checklist")
    .argument('<ref>', 'the incident (INC-7KQ2XM or id)')
    .argument('<name>', 'the runbook name')
    .option('--version <n>', 'attach an older version')
    .action(async (ref: string, name: string, opts: { version?: string }, cmd: Command) => {
      const g = globalsOf(cmd);
      const version = positiveInt('--version', opts.version);
      const r = await withApi(g, async (api) => {
        const incident = await incidentOf(api, ref);
        const { attachId } = await api.call('runbooks.attach', { incidentId: incident.id, name, version });
        // What was attached, as the incident now lists it: the version and checklist the event carries.
        const attached = (await api.call('incidents.get', { ref: incident.id })).runbooks.find((rb) => rb.attachId === attachId);
        return { attachId, name: attached?.name ?? name, version: attached?.version ?? version ?? null, steps: attached?.steps.length ?? 0 };
      });
      output(g, r, () => `attached ${r.name} v${r.version}: ${r.steps} step${r.steps === 1 ? '' : 's'} (see \`conn runbook steps ${ref}\`)`);
    });

  rb.command('steps')
    .description("the checklists of the runbooks attached to an incident, with who did each step and when (in your zone, or --tz)")
    .argument('<ref>', 'the incident')
    .option('--tz <zone>', "show times in this IANA zone instead of your profile's")
    .action(async (ref: string, opts: { tz?: string }, cmd: Command) => {
      const g = globalsOf(cmd);
      const tz = opts.tz === undefined ? undefined : timeZoneArg(opts.tz);
      const { runbooks, zone } = await withApi(g, async (api) => ({ runbooks: (await incidentOf(api, ref)).runbooks, zone: tz ?? (await api.call('profile.get', {})).timeZone }));
      output(g, runbooks, () => stepsText(runbooks, zone));
    });

  rb.command('check')
    .description('mark a step of an attached runbook done (a runbook.step-done event with who and when)')
    .argument('<ref>', 'the incident')
    .argument('<step>', 'the step key (or a unique start of it) or its number')
    .option('--runbook <name>', 'which attached runbook, when more than one has the step')
    .option('--undo', 'mark the step not done')
    .action(async (ref: string, step: string, opts: { runbook?: string; undo?: boolean }, cmd: Command) => {
      const g = globalsOf(cmd);
      const done = !opts.undo;
      const r = await withApi(g, async (api) => {
        const incident = await incidentOf(api, ref);
        const { attach, key } = resolveStep(incident.runbooks, { step, runbook: opts.runbook });
        // The same event the app's checkbox appends.
        const event = await api.call('events.append', { incidentId: incident.id, kind: 'runbook.step-done', payload: { target: attach.attachId, step: key, done } });
        return { eventId: event.id, runbook: attach.name, step: key };
      });
      output(g, { ...r, done }, () => `${r.runbook}: ${r.step} ${done ? 'done' : 'reopened'}`);
    });

  rb.command('suggest')
    .description("runbooks for an incident, from its services and title")
    .argument('<ref>', 'the incident')
    .action(async (ref: string, _opts: unknown, cmd: Command) => {
      const g = globalsOf(cmd);
      const list = await withApi(g, async (api) => api.call('runbooks.suggest', { incidentId: (await incidentOf(api, ref)).id }));
      output(g, list, () => suggestText(list));
    });

  rb.command('publish')
    .description("publish a runbook's newest local version to the hub as the team's next version")
    .argument('<name>', 'the runbook name')
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const g = globalsOf(cmd);
      const { publishRunbook } = await import('../../main/core/runbooks/share.js');
      const r = await withCore(g, (core) => publishRunbook(core, name));
      output(g, r, () => `published ${r.name} as team version ${r.version}`);
    });

  rb.command('pull')
    .description("fetch the runbook versions teammates published since the last pull")
    .action(async (_opts: unknown, cmd: Command) => {
      const g = globalsOf(cmd);
      const { pullRunbooks } = await import('../../main/core/runbooks/share.js');
      const r = await withCore(g, (core) => pullRunbooks(core));
      output(g, r, () =>
        [
          `pulled: ${r.added.length} new, ${r.updated.length} updated, ${r.unchanged.length} unchanged`,
          ...(r.breakglass ? [pulledPackText(r.breakglass)] : []),
          ...r.skipped.map((x) => `  skipped ${x.name}: ${x.reason}`),
        ].join('\n'),
      );
    });

  const bg = program.command('breakglass').description('the break-glass pack: escalation contacts, bridge dial-ins, status-page instructions, kept offline');

  bg.command('show')
    .description('print the break-glass pack')
    .option('--set-aside', 'print the unpublished local edit that a pulled team version replaced, as YAML')
    .action(async (opts: { setAside?: boolean }, cmd: Command) => {
      const g = globalsOf(cmd);
      if (opts.setAside) {
        const kept = await withCore(g, (core) => new BreakGlassStore(core.db).setAside());
        if (!kept) fail('not-found', 'no edit was set aside: a pull replaces only unpublished local edits');
        output(g, kept, () => terminalSafe(breakGlassToYaml(kept.pack)));
        return;
      }
      const stored = await withApi(g, (api) => api.call('breakglass.get', {}));
      if (!stored) fail('not-found', 'no break-glass pack yet: fill in resources/runbooks/breakglass-template.yaml and run `conn breakglass import FILE`');
      output(g, stored, () => breakGlassText(stored.pack));
    });

  bg.command('publish')
    .description("publish the local break-glass pack to the hub as the team's next version")
    .action(async (_opts: unknown, cmd: Command) => {
      const g = globalsOf(cmd);
      const { publishBreakGlass } = await import('../../main/core/runbooks/share.js');
      const r = await withCore(g, (core) => publishBreakGlass(core));
      output(g, r, () => `published the break-glass pack as team version ${r.version}`);
    });

  bg.command('import')
    .description('replace the break-glass pack with a YAML or JSON file (validated whole; nothing changes if it is invalid)')
    .argument('<file>', 'the pack file')
    .action(async (file: string, _opts: unknown, cmd: Command) => {
      const g = globalsOf(cmd);
      const text = readPackFile(file);
      // The same method the app's Import button calls: validated whole, nothing replaced if invalid.
      const { pack } = await withApi(g, (api) => api.call('breakglass.import', { text }));
      output(g, pack, () => `break-glass pack saved: ${pack.escalation.length} contacts, ${pack.bridges.length} bridges`);
    });

  bg.command('edit')
    .description('edit the break-glass pack in $VISUAL or $EDITOR (YAML), validated before it is saved')
    .action(async (_opts: unknown, cmd: Command) => {
      const g = globalsOf(cmd);
      const editor = process.env['VISUAL'] || process.env['EDITOR'] || 'vi';
      const current = await withCore(g, (core) => new BreakGlassStore(core.db).get());
      const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'conn-breakglass-'));
      const file = path.join(tmpDir, 'breakglass.yaml');
      writeFileSync(file, current ? breakGlassToYaml(current.pack) : '# escalation, bridges, statusPage, notes: see resources/runbooks/breakglass-template.yaml\nescalation: []\nbridges: []\n');
      // The editor command may carry arguments ("code --wait"), so it goes through the shell.
      const r = spawnSync(`${editor} "${file}"`, { stdio: 'inherit', shell: true });
      if (r.status !== 0) fail('unavailable', `the editor (${editor}) exited with status ${r.status ?? 'unknown'}; nothing was saved`);
      let pack: BreakGlassPack;
      try {
        pack = parseBreakGlass(readFileSync(file, 'utf8'));
      } catch (err) {
        if (err instanceof ConnError) fail(err.code, `${err.message}; your edit is kept in ${file}: fix it and run \`conn breakglass import ${file}\``);
        throw err;
      }
      await withCore(g, (core) => new BreakGlassStore(core.db).set(pack, authorName(core)));
      rmSync(tmpDir, { recursive: true, force: true });
      output(g, pack, () => 'break-glass pack saved');
    });
}

