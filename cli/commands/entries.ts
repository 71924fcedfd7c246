import type { Command } from 'commander';
import { ConnError } from '../../shared/domain/errors.js';
import { TEXT_KINDS, type EventKind, type PayloadInputOf } from '../../shared/domain/events.js';
import type { IncidentState } from '../../shared/domain/fold.js';
import { parseRole, ROLE_MEANING, STANDARD_ROLES } from '../../shared/domain/roles.js';
import { append, type AppendContext } from '../append.js';
import { globalsOf } from '../context.js';
import { dueArg, severityArg, statusArg, textArg } from '../cli-input.js';
import { entryIdOf, timelineRows } from '../lookups.js';
import type { Api } from '../open-core.js';
import { SEVERITY_HELP, STATUS_HELP } from './incidents.js';

/*
 * The commands that write to an incident's timeline. Each is one `events.append` of one kind,
 * the call the app makes for the same action (cli/append.ts); this file only turns what a person
 * typed into that kind's payload.
 */

const TEXT_HELP = '\nThe text is the rest of the line; pass - to read it from stdin, or --file PATH.';
const ROLE_HELP = `\nRoles (or any custom lower-case name such as db-lead; "ic" means commander):\n${STANDARD_ROLES.map((r) => `  ${r.padEnd(10)} ${ROLE_MEANING[r]}`).join('\n')}`;
/** An entry of the timeline, by id or the start of one among `kinds` (every kind when absent). */
function timelineEntry(api: Api, incident: IncidentState, input: string, kinds?: readonly EventKind[]): Promise<string> {
  return entryIdOf(input, {
    what: 'entry',
    where: `\`conn timeline ${incident.ref}\``,
    candidates: async () => (await timelineRows(api, incident.id, kinds ? { kinds: [...kinds] } : {})).map((i) => i.id),
  });
}

function textCommand(program: Command, name: string, kind: 'note' | 'decision' | 'hypothesis', description: string, said: string): void {
  program
    .command(name)
    .description(description)
    .argument('<ref>', 'the incident reference or id')
    .argument('[text...]', 'the text')
    .option('--file <path>', 'read the text from a file')
    .addHelpText('after', TEXT_HELP)
    .action(async (ref: string, words: string[], opts: { file?: string }, cmd: Command) => {
      const text = await textArg(words, opts.file);
      await append(globalsOf(cmd), ref, kind, () => ({ text }), said);
    });
}

/** The commands that add to an incident's timeline. */
export function register(program: Command): void {
  textCommand(program, 'note', 'note', 'add a note to the timeline', 'Noted');
  textCommand(program, 'decision', 'decision', 'record a decision ("we fail over to eu-west")', 'Decision recorded');
  textCommand(program, 'hypothesis', 'hypothesis', 'record a hypothesis being tested ("DNS?")', 'Hypothesis recorded');

  program
    .command('action')
    .description('add an action item, optionally with an owner and a due time')
    .argument('<ref>', 'the incident reference or id')
    .argument('[text...]', 'what needs doing')
    .option('--owner <name>', 'who does it')
    .option('--due <when>', 'when: 30m, 2h, 1d, 16:30 (your zone) or an ISO time')
    .option('--file <path>', 'read the text from a file')
    .addHelpText('after', TEXT_HELP)
    .action(async (ref: string, words: string[], opts: { owner?: string; due?: string; file?: string }, cmd: Command) => {
      const text = await textArg(words, opts.file);
      await append(
        globalsOf(cmd),
        ref,
        'action.added',
        ({ zone }) => ({ text, ...(opts.owner !== undefined ? { owner: opts.owner } : {}), ...(opts.due !== undefined ? { due: dueArg(opts.due, zone) } : {}) }),
        'Action added',
        { owner: '--owner', due: '--due' },
      );
    });

  program
    .command('status')
    .description('move the incident to a new status')
    .argument('<ref>', 'the incident reference or id')
    .argument('<status>', 'triage, investigating, identified, monitoring, resolved or closed')
    .addHelpText('after', STATUS_HELP)
    .action(async (ref: string, status: string, _opts: unknown, cmd: Command) => {
      const s = statusArg(status);
      await append(globalsOf(cmd), ref, 'status.changed', () => ({ status: s }), `Status ${s}`);
    });

  program
    .command('sev')
    .description("change the incident's severity")
    .argument('<ref>', 'the incident reference or id')
    .argument('<severity>', '1 (worst) to 5; "sev2" works too')
    .addHelpText('after', SEVERITY_HELP)
    .action(async (ref: string, sev: string, _opts: unknown, cmd: Command) => {
      const severity = severityArg(sev);
      await append(globalsOf(cmd), ref, 'severity.changed', () => ({ severity }), `Severity SEV${severity}`);
    });

  program
    .command('role')
    .description('give a role to a person ("none" frees the role)')
    .argument('<ref>', 'the incident reference or id')
    .argument('<role>', 'commander (or ic), deputy, comms, scribe, ops, or a custom role')
    .argument('<name>', 'who takes it, or "none"')
    .addHelpText('after', ROLE_HELP)
    .action(async (ref: string, role: string, name: string, _opts: unknown, cmd: Command) => {
      let r: string;
      try {
        r = parseRole(role);
      } catch (err) {
        throw new ConnError('invalid-input', (err as Error).message);
      }
      const person = name.trim().toLowerCase() === 'none' ? null : name;
      await append(globalsOf(cmd), ref, 'role.assigned', () => ({ role: r, person }), person === null ? `${r} freed` : `${person} is ${r}`);
    });

  program
    .command('redact')
    .description("remove an entry's text from every store, keeping a marker and the reason")
    .argument('<ref>', 'the incident reference or id')
    .argument('<event-id>', 'the entry id, as printed by `conn timeline REF`')
    .requiredOption('--reason <text>', 'why (kept on the timeline)')
    .addHelpText('after', "\nOnly the incident's commander or the entry's author may redact it from this cockpit.")
    .action(async (ref: string, id: string, opts: { reason: string }, cmd: Command) => {
      const payload = async ({ api, incident }: AppendContext): Promise<PayloadInputOf<'entry.redacted'>> => ({
        target: await timelineEntry(api, incident, id, TEXT_KINDS),
        reason: opts.reason,
      });
      await append(globalsOf(cmd), ref, 'entry.redacted', payload, 'Redacted', { reason: '--reason', target: 'EVENT_ID' });
    });
}
