import type { Command } from 'commander';
import { PAYLOADS, type EventKind } from '../../shared/domain/events.js';
import { ConnError, type FieldWords } from '../../shared/domain/errors.js';
import { parseRole, ROLE_MEANING, STANDARD_ROLES } from '../../shared/domain/roles.js';
import { formatInZone } from '../../shared/time/zone.js';
import { globalsOf, output, type GlobalOptions } from '../context.js';
import { checkedInput, dueArg, severityArg, statusArg, textArg } from '../cli-input.js';
import { withCore } from '../open-core.js';
import { SEVERITY_HELP, STATUS_HELP } from './incidents.js';

const TEXT_HELP = '\nThe text is the rest of the line; pass - to read it from stdin, or --file PATH.';
const ROLE_HELP = `\nRoles (or any custom lower-case name such as db-lead; "ic" means commander):\n${STANDARD_ROLES.map((r) => `  ${r.padEnd(10)} ${ROLE_MEANING[r]}`).join('\n')}`;

/**
 * Appends one event to the incident REF names and prints what was saved. The payload is built
 * by `payloadOf` from the open core (e.g. to read the profile's zone); the core validates it,
 * after a check that names the command's options (`words`) when something is wrong.
 */
async function append(g: GlobalOptions, ref: string, kind: EventKind, payloadOf: (zone: string) => unknown, said: string, words: FieldWords = {}): Promise<void> {
  const { event, ref: incidentRef, zone } = await withCore(g, (core) => {
    const state = core.incidents.get(ref);
    const zone = core.profile.get().timeZone;
    const payload = payloadOf(zone);
    checkedInput(PAYLOADS[kind], payload, words);
    return { event: core.events.appendLocal(state.id, kind, payload), ref: state.ref, zone };
  });
  const at = new Date(Number(event.hlc.slice(0, 13))).toISOString();
  output(g, { ...event, ref: incidentRef, at }, () => `${said} on ${incidentRef} at ${formatInZone(at, zone)}  [${event.id}]`);
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
        (zone) => ({ text, ...(opts.owner !== undefined ? { owner: opts.owner } : {}), ...(opts.due !== undefined ? { due: dueArg(opts.due, zone) } : {}) }),
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
    .action(async (ref: string, eventId: string, opts: { reason: string }, cmd: Command) => {
      await append(globalsOf(cmd), ref, 'entry.redacted', () => ({ target: eventId.trim().toLowerCase(), reason: opts.reason }), 'Redacted', { reason: '--reason' });
    });
}
