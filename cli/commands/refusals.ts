import type { Command } from 'commander';
import { ConnError } from '../../shared/domain/errors.js';
import { refFromId } from '../../shared/domain/incident-ref.js';
import { globalsOf, output } from '../context.js';
import { entryIdOf, type EntryLookup } from '../lookups.js';
import { withApi, type Api } from '../open-core.js';

/*
 * What to do with an entry the hub refused: it stays on this cockpit, marked, out of the
 * incident's state, until its writer resends it (after fixing the cause) or discards it.
 */

/** A refused entry by its id or the start of one: the refused ones are few, so a start is enough. */
const refusedEntry = (api: Api): EntryLookup => ({
  what: 'refused entry',
  where: '`conn refused`',
  candidates: async () => (await api.call('events.refused', {})).map((r) => r.id),
});

export function register(program: Command): void {
  program
    .command('resend')
    .description('send an entry the hub refused again, signed and stamped now, after fixing the cause')
    .argument('[event-id]', 'the refused entry (from `conn sync` or `conn timeline`), or a start of its id')
    .option('--all', 'resend every refused entry, oldest first')
    .action(async (eventId: string | undefined, o: { all?: boolean }, cmd: Command) => {
      const g = globalsOf(cmd);
      if (!o.all && !eventId) throw new ConnError('invalid-input', 'name the refused entry to resend (its id), or give --all');
      const sent = await withApi(g, async (api) => {
        const ids = o.all ? (await api.call('events.refused', {})).map((r) => r.id) : [await entryIdOf(eventId!, refusedEntry(api))];
        const out = [];
        for (const id of ids) {
          const e = await api.call('events.resend', { eventId: id });
          out.push({ was: id, id: e.id, kind: e.kind, ref: refFromId(e.incidentId) });
        }
        return out;
      });
      output(g, sent, () =>
        sent.length ? `${sent.map((s) => `Resent ${s.kind} in ${s.ref} as ${s.id}`).join('\n')}\nRun \`conn sync\` to send it.` : 'Nothing was refused.',
      );
    });

  program
    .command('discard')
    .description('drop an entry the hub refused, for good')
    .argument('<event-id>', 'the refused entry (from `conn sync` or `conn timeline`), or a start of its id')
    .action(async (eventId: string, _o: unknown, cmd: Command) => {
      const g = globalsOf(cmd);
      const r = await withApi(g, async (api) => api.call('events.discard', { eventId: await entryIdOf(eventId, refusedEntry(api)) }));
      output(g, r, () => `Discarded ${r.discarded}.`);
    });

  program
    .command('refused')
    .description('list the entries the hub refused that are still kept here')
    .action(async (_o: unknown, cmd: Command) => {
      const g = globalsOf(cmd);
      const list = await withApi(g, (api) => api.call('events.refused', {}));
      output(g, list, () =>
        list.length ? list.map((r) => `${r.id}  ${refFromId(r.incidentId)}  ${r.kind}  ${r.code}: ${r.message}`).join('\n') : 'Nothing was refused.',
      );
    });
}
