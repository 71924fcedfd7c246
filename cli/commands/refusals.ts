import type { Command } from 'commander';
import { ConnError } from '../../shared/domain/errors.js';
import { refFromId } from '../../shared/domain/incident-ref.js';
import { globalsOf, output } from '../context.js';
import { withCore } from '../open-core.js';

/*
 * What to do with an entry the hub refused: it stays on this cockpit, marked, out of the
 * incident's state, until its writer resends it (after fixing the cause) or discards it.
 */

export function register(program: Command): void {
  program
    .command('resend')
    .description('send an entry the hub refused again, signed and stamped now, after fixing the cause')
    .argument('[event-id]', 'the refused entry (from `conn sync` or `conn timeline`)')
    .option('--all', 'resend every refused entry, oldest first')
    .action(async (eventId: string | undefined, o: { all?: boolean }, cmd: Command) => {
      const g = globalsOf(cmd);
      if (!o.all && !eventId) throw new ConnError('invalid-input', 'name the refused entry to resend (its id), or give --all');
      const sent = await withCore(g, (core) => {
        const ids = o.all ? core.events.refused().map((r) => r.id) : [eventId!];
        return ids.map((id) => {
          const e = core.events.resend(id);
          return { was: id, id: e.id, kind: e.kind, ref: refFromId(e.incidentId) };
        });
      });
      output(g, sent, () =>
        sent.length ? `${sent.map((s) => `Resent ${s.kind} in ${s.ref} as ${s.id}`).join('\n')}\nRun \`conn sync\` to send it.` : 'Nothing was refused.',
      );
    });

  program
    .command('discard')
    .description('drop an entry the hub refused, for good')
    .argument('<event-id>', 'the refused entry (from `conn sync` or `conn timeline`)')
    .action(async (eventId: string, _o: unknown, cmd: Command) => {
      const g = globalsOf(cmd);
      await withCore(g, (core) => core.events.discard(eventId));
      output(g, { discarded: eventId }, () => `Discarded ${eventId}.`);
    });

  program
    .command('refused')
    .description('list the entries the hub refused that are still kept here')
    .action(async (_o: unknown, cmd: Command) => {
      const g = globalsOf(cmd);
      const list = await withCore(g, (core) => core.events.refused());
      output(g, list, () =>
        list.length ? list.map((r) => `${r.id}  ${refFromId(r.incidentId)}  ${r.kind}  ${r.code}: ${r.message}`).join('\n') : 'Nothing was refused.',
      );
    });
}
