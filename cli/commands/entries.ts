import type { Command } from 'commander';
import { ConnError } from '../../shared/domain/errors.js';
import { TEXT_KINDS, type EventKind, type PayloadInputOf } from '../../shared/domain/events.js';
import type { IncidentState } from '../../shared/domain/fold.js';
import { parseRole, ROLE_MEANING, STANDARD_ROLES } from '../../shared/domain/roles.js';
import { append, type AppendContext } from '../append.js';
import { globalsOf, output } from '../context.js';
import { deliveriesText } from '../delivery-text.js';
import {
  actionStateArg,
  audienceArg,
  AUDIENCES,
  dueArg,
  hypothesisStateArg,
  MILESTONE_WORDS,
  milestoneArg,
  pastTimeArg,
  severityArg,
  statusArg,
  textArg,
} from '../cli-input.js';
import { entryIdOf, incidentOf, timelineRows } from '../lookups.js';
import { withApi, type Api } from '../open-core.js';
import { SEVERITY_HELP, STATUS_HELP } from './incidents.js';

/*
 * The commands that write to an incident's timeline. Each is one `events.append` of one kind,
 * the call the app makes for the same action (cli/append.ts); this file only turns what a person
 * typed into that kind's payload.
 */

const TEXT_HELP = '\nThe text is the rest of the line; pass - to read it from stdin, or --file PATH.';
const ROLE_HELP = `\nRoles (or any custom lower-case name such as db-lead; "ic" means commander):\n${STANDARD_ROLES.map((r) => `  ${r.padEnd(10)} ${ROLE_MEANING[r]}`).join('\n')}`;
const ID_HELP = `\nAn id is the one in [brackets] after each entry of \`conn timeline REF\` (actions and hypotheses: also \`conn show REF\`), or a start of it that only one entry has (at least 6 characters).`;

/** An entry of the timeline, by id or the start of one among `kinds` (every kind when absent). */
function timelineEntry(api: Api, incident: IncidentState, input: string, kinds?: readonly EventKind[]): Promise<string> {
  return entryIdOf(input, {
    what: 'entry',
    where: `\`conn timeline ${incident.ref}\``,
    candidates: async () => (await timelineRows(api, incident.id, kinds ? { kinds: [...kinds] } : {})).map((i) => i.id),
  });
}

function actionOf({ incident }: AppendContext, input: string): Promise<string> {
  return entryIdOf(input, { what: 'action', where: `\`conn show ${incident.ref}\``, candidates: () => incident.actions.map((a) => a.id) });
}

function hypothesisOf({ incident }: AppendContext, input: string): Promise<string> {
  return entryIdOf(input, { what: 'hypothesis', where: `\`conn show ${incident.ref}\``, candidates: () => incident.hypotheses.map((h) => h.id) });
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

/** The fields `action-set` and its shortcuts change; absent ones stay as they are. */
interface ActionChange {
  state?: string | undefined;
  owner?: string | undefined;
  due?: string | undefined;
}

/** One action.updated for every way of changing an action: `action-set`, `action-done`, `action-cancel`. */
async function updateAction(cmd: Command, ref: string, id: string, change: ActionChange): Promise<void> {
  // Read before the database is opened: a typo changes nothing and costs nothing.
  const state = change.state === undefined ? undefined : actionStateArg(change.state);
  const none = (v: string) => v.trim().toLowerCase() === 'none';
  const owner = change.owner === undefined ? undefined : none(change.owner) ? null : change.owner;
  if (state === undefined && owner === undefined && change.due === undefined) {
    throw new ConnError('invalid-input', 'nothing to change: give --state, --owner or --due');
  }
  const said = state === 'done' ? 'Action done' : state === 'cancelled' ? 'Action cancelled' : state === 'open' ? 'Action reopened' : 'Action updated';
  await append(
    globalsOf(cmd),
    ref,
    'action.updated',
    async (ctx) => ({
      target: await actionOf(ctx, id),
      ...(state !== undefined ? { state } : {}),
      ...(owner !== undefined ? { owner } : {}),
      ...(change.due !== undefined ? { due: none(change.due) ? null : dueArg(change.due, ctx.zone) } : {}),
    }),
    said,
    { owner: '--owner', due: '--due', target: 'ACTION_ID' },
  );
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
    .addHelpText('after', `${TEXT_HELP}\nMark it done with \`conn action-done REF ACTION_ID\`; change it with \`conn action-set\`.`)
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
    .command('action-set')
    .description("change an action item: its state, its owner or its due time (what isn't given stays)")
    .argument('<ref>', 'the incident reference or id')
    .argument('<action-id>', 'the action (its id, or a start of it)')
    .option('--state <state>', 'open, done or cancelled')
    .option('--owner <name>', 'who does it now, or "none"')
    .option('--due <when>', '30m, 2h, 1d, 16:30 (your zone), an ISO time, or "none"')
    .addHelpText('after', `${ID_HELP}\n\`conn action-done\` and \`conn action-cancel\` are the two everyday changes, shorter.`)
    .action((ref: string, id: string, opts: ActionChange, cmd: Command) => updateAction(cmd, ref, id, opts));

  program
    .command('action-done')
    .description('mark an action item done (conn action-set REF ID --state done)')
    .argument('<ref>', 'the incident reference or id')
    .argument('<action-id>', 'the action (its id, or a start of it)')
    .addHelpText('after', ID_HELP)
    .action((ref: string, id: string, _opts: unknown, cmd: Command) => updateAction(cmd, ref, id, { state: 'done' }));

  program
    .command('action-cancel')
    .description('cancel an action item: it will not be done (conn action-set REF ID --state cancelled)')
    .argument('<ref>', 'the incident reference or id')
    .argument('<action-id>', 'the action (its id, or a start of it)')
    .addHelpText('after', ID_HELP)
    .action((ref: string, id: string, _opts: unknown, cmd: Command) => updateAction(cmd, ref, id, { state: 'cancelled' }));

  program
    .command('hypothesis-state')
    .description('confirm a hypothesis, rule it out, or open it again')
    .argument('<ref>', 'the incident reference or id')
    .argument('<hypothesis-id>', 'the hypothesis (its id, or a start of it)')
    .argument('<state>', 'confirmed, ruled-out or open')
    .addHelpText('after', ID_HELP)
    .action(async (ref: string, id: string, stateWord: string, _opts: unknown, cmd: Command) => {
      const state = hypothesisStateArg(stateWord);
      const said = state === 'confirmed' ? 'Hypothesis confirmed' : state === 'ruled-out' ? 'Hypothesis ruled out' : 'Hypothesis reopened';
      await append(globalsOf(cmd), ref, 'hypothesis.updated', async (ctx) => ({ target: await hypothesisOf(ctx, id), state }), said, { target: 'HYPOTHESIS_ID' });
    });

  program
    .command('update')
    .description('post a stakeholder update: the next one falls due on the severity\'s cadence')
    .argument('<ref>', 'the incident reference or id')
    .argument('[text...]', 'the update as sent')
    .option('--audience <who>', `who it went to: ${AUDIENCES.join(', ')}`)
    .option('--file <path>', 'read the text from a file')
    .option('--draft', 'print a draft from the incident\'s state for --audience (internal by default) instead of posting; edit it and post it')
    .addHelpText('after', TEXT_HELP)
    .action(async (ref: string, words: string[], opts: { audience?: string; file?: string; draft?: boolean }, cmd: Command) => {
      const audience = opts.audience === undefined ? undefined : audienceArg(opts.audience);
      if (opts.draft) {
        if (words.length || opts.file) throw new ConnError('invalid-input', '--draft prints a draft and posts nothing: give it no text');
        const g = globalsOf(cmd);
        const draft = await withApi(g, async (api) => api.call('updates.draft', { incidentId: (await incidentOf(api, ref)).id, ...(audience ? { audience } : {}) }));
        output(g, draft, () => draft.text);
        return;
      }
      const text = await textArg(words, opts.file);
      await append(globalsOf(cmd), ref, 'update.posted', () => ({ text, ...(audience ? { audience } : {}) }), 'Update posted');
    });

  program
    .command('deliveries')
    .description("what became of each stakeholder update: queued, delivered, or failed with the receiver's answer (asks the hub)")
    .argument('<ref>', 'the incident reference or id')
    .action(async (ref: string, _opts: unknown, cmd: Command) => {
      const g = globalsOf(cmd);
      const d = await withApi(g, async (api) => api.call('updates.deliveries', { incidentId: (await incidentOf(api, ref)).id }));
      if (d.source === 'unavailable') throw new ConnError('unavailable', `delivery state is kept on the hub, and ${d.reason ?? 'it did not answer'}`);
      output(g, d, () => deliveriesText(d));
    });

  program
    .command('milestone')
    .description('set when a milestone happened: impact started, detected, acknowledged, mitigated, resolved')
    .argument('<ref>', 'the incident reference or id')
    .argument('<milestone>', Object.keys(MILESTONE_WORDS).join(', '))
    .argument('[time...]', 'now (the default), 20m ago, 14:05 (your zone: today, or yesterday if still to come), yesterday 23:50 or an ISO time')
    .addHelpText(
      'after',
      '\nMilestones feed time to detect / acknowledge / mitigate / resolve (`conn report`) and the retrospective. A time still to come, or one out of order with the others (impact started ≤ detected ≤ acknowledged; impact started ≤ mitigated ≤ resolved), is refused.',
    )
    .action(async (ref: string, milestoneWord: string, timeWords: string[], _opts: unknown, cmd: Command) => {
      const time = timeWords.length ? timeWords.join(' ') : 'now';
      const milestone = milestoneArg(milestoneWord);
      const word = Object.keys(MILESTONE_WORDS).find((w) => MILESTONE_WORDS[w] === milestone)!;
      await append(globalsOf(cmd), ref, 'milestone.set', ({ zone }) => ({ milestone, at: pastTimeArg(time, zone) }), `Milestone ${word}`);
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
    .command('pin')
    .description('pin an entry to the top of the incident (--off unpins it)')
    .argument('<ref>', 'the incident reference or id')
    .argument('<event-id>', 'the entry (its id, or a start of it)')
    .option('--off', 'unpin it')
    .addHelpText('after', `${ID_HELP}\n\`conn timeline REF --pinned\` lists the pinned entries.`)
    .action(async (ref: string, id: string, opts: { off?: boolean }, cmd: Command) => {
      const pinned = !opts.off;
      await append(globalsOf(cmd), ref, 'entry.pinned', async ({ api, incident }) => ({ target: await timelineEntry(api, incident, id), pinned }), pinned ? 'Pinned' : 'Unpinned', {
        target: 'EVENT_ID',
      });
    });

  program
    .command('edit')
    .description("replace the text of a note, decision, hypothesis, action or update (the timeline marks it edited)")
    .argument('<ref>', 'the incident reference or id')
    .argument('<event-id>', 'the entry (its id, or a start of it)')
    .argument('[text...]', 'the new text')
    .option('--file <path>', 'read the text from a file')
    .addHelpText('after', `${TEXT_HELP}${ID_HELP}\nThe entry's author, the commander or a team admin may edit it.`)
    .action(async (ref: string, id: string, words: string[], opts: { file?: string }, cmd: Command) => {
      const text = await textArg(words, opts.file);
      await append(globalsOf(cmd), ref, 'entry.edited', async ({ api, incident }) => ({ target: await timelineEntry(api, incident, id, TEXT_KINDS), text }), 'Edited', {
        target: 'EVENT_ID',
      });
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
