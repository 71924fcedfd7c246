import type { Command } from 'commander';
import { ConnError } from '../../shared/domain/errors.js';
import { parseRole } from '../../shared/domain/roles.js';
import { append, type AppendContext } from '../append.js';
import { globalsOf } from '../context.js';
import { textArg } from '../cli-input.js';
import { entryIdOf } from '../lookups.js';

/*
 * Bridge calls and role hand-offs: like the rest of the timeline, each command is one
 * `events.append` of one kind (cli/append.ts).
 */

const TEXT_HELP = '\nThe text is the rest of the line; pass - to read it from stdin, or --file PATH.';
const CALL_HELP = '\nA call id is the one `conn show REF` lists under calls, or a start of it (at least 6 characters).';

function callOf({ incident }: AppendContext, input: string): Promise<string> {
  return entryIdOf(input, { what: 'call', where: `\`conn show ${incident.ref}\``, candidates: () => incident.calls.map((c) => c.id) });
}

function role(input: string): string {
  try {
    return parseRole(input);
  } catch (err) {
    throw new ConnError('invalid-input', (err as Error).message);
  }
}

export function register(program: Command): void {
  program
    .command('call')
    .description('start a bridge call for the incident (who joins is recorded with `conn attendee`)')
    .argument('<ref>', 'the incident reference or id')
    .option('--title <text>', 'what the call is for')
    .option('--bridge <where>', 'how to join: a dial-in or a link')
    .action(async (ref: string, opts: { title?: string; bridge?: string }, cmd: Command) => {
      const payload = { ...(opts.title !== undefined ? { title: opts.title } : {}), ...(opts.bridge !== undefined ? { bridge: opts.bridge } : {}) };
      await append(globalsOf(cmd), ref, 'call.started', () => payload, 'Call started', { title: '--title', bridge: '--bridge' });
    });

  program
    .command('call-end')
    .description('end a bridge call')
    .argument('<ref>', 'the incident reference or id')
    .argument('<call-id>', 'the call (its id, or a start of it)')
    .addHelpText('after', CALL_HELP)
    .action(async (ref: string, id: string, _opts: unknown, cmd: Command) => {
      await append(globalsOf(cmd), ref, 'call.ended', async (ctx) => ({ target: await callOf(ctx, id) }), 'Call ended', { target: 'CALL_ID' });
    });

  program
    .command('attendee')
    .description('record who joined a bridge call (--left: who left it)')
    .argument('<ref>', 'the incident reference or id')
    .argument('<call-id>', 'the call (its id, or a start of it)')
    .argument('<name>', 'who')
    .option('--left', 'they left the call')
    .addHelpText('after', CALL_HELP)
    .action(async (ref: string, id: string, person: string, opts: { left?: boolean }, cmd: Command) => {
      const g = globalsOf(cmd);
      const words = { person: 'NAME', target: 'CALL_ID' };
      if (opts.left) await append(g, ref, 'attendee.left', async (ctx) => ({ target: await callOf(ctx, id), person }), `${person} left the call`, words);
      else await append(g, ref, 'attendee.joined', async (ctx) => ({ target: await callOf(ctx, id), person }), `${person} joined the call`, words);
    });

  program
    .command('minutes')
    .description("write the minutes of a bridge call (or of the incident's discussion)")
    .argument('<ref>', 'the incident reference or id')
    .argument('[text...]', 'the minutes')
    .option('--call <call-id>', 'the call they are the minutes of')
    .option('--file <path>', 'read the minutes from a file')
    .addHelpText('after', `${TEXT_HELP}${CALL_HELP}`)
    .action(async (ref: string, words: string[], opts: { call?: string; file?: string }, cmd: Command) => {
      const text = await textArg(words, opts.file);
      const call = opts.call;
      await append(globalsOf(cmd), ref, 'minutes.written', async (ctx) => ({ text, ...(call !== undefined ? { target: await callOf(ctx, call) } : {}) }), 'Minutes written', {
        target: '--call',
      });
    });

  program
    .command('handoff')
    .description('offer your role to a teammate (or to whoever takes it) with a brief of where things stand')
    .argument('<ref>', 'the incident reference or id')
    .argument('<role>', 'the role handed over: commander (or ic), comms, scribe, ops, or a custom role')
    .argument('[brief...]', 'where things stand, for whoever takes over')
    .option('--to <name>', 'who should take it; without it, anyone may')
    .option('--file <path>', 'read the brief from a file')
    .addHelpText('after', `${TEXT_HELP}\nThe role's holder, the commander or a team admin may offer it; \`conn handoff-accept\` takes it.`)
    .action(async (ref: string, roleWord: string, words: string[], opts: { to?: string; file?: string }, cmd: Command) => {
      const r = role(roleWord);
      const brief = await textArg(words, opts.file);
      await append(globalsOf(cmd), ref, 'handoff.offered', () => ({ role: r, to: opts.to ?? null, brief }), `${r} offered${opts.to ? ` to ${opts.to}` : ''}`, { to: '--to' });
    });

  program
    .command('handoff-accept')
    .description('take a role a teammate offered you')
    .argument('<ref>', 'the incident reference or id')
    .argument('<offer-id>', 'the hand-off (its id, or a start of it)')
    .addHelpText('after', '\nThe offer id is the one `conn show REF` lists under hand-offs, or a start of it (at least 6 characters).')
    .action(async (ref: string, id: string, _opts: unknown, cmd: Command) => {
      await append(
        globalsOf(cmd),
        ref,
        'handoff.accepted',
        async ({ incident }) => ({
          target: await entryIdOf(id, { what: 'hand-off', where: `\`conn show ${incident.ref}\``, candidates: () => incident.handoffs.map((h) => h.id) }),
        }),
        'Hand-off accepted',
        { target: 'OFFER_ID' },
      );
    });
}
