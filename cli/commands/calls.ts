import type { Command } from 'commander';
import { ConnError } from '../../shared/domain/errors.js';
import { parseRole } from '../../shared/domain/roles.js';
import { writeFileSync } from 'node:fs';
import { planCall } from '../../shared/time/plan-call.js';
import { hlcToDate } from '../../shared/sync/hlc.js';
import { attendeesOf, parseLength, parseTzPair, type KnownProfile } from '../call-plan.js';
import { formatInZone } from '../../shared/time/zone.js';
import { append, type AppendContext } from '../append.js';
import { globalsOf, output } from '../context.js';
import { dueArg, textArg } from '../cli-input.js';
import { entryIdOf, incidentOf } from '../lookups.js';
import { withApi } from '../open-core.js';
import { terminalSafe } from '../terminal-safe.js';

/*
 * Bridge calls and role hand-offs: like the rest of the timeline, each command is one
 * `events.append` of one kind (cli/append.ts).
 */

const TEXT_HELP = '\nThe text is the rest of the line; pass - to read it from stdin, or --file PATH.';
const CALL_HELP = '\nA call id is the one `conn show REF` lists under calls, or a start of it (at least 6 characters).';

function callOf({ incident }: Pick<AppendContext, 'incident'>, input: string): Promise<string> {
  return entryIdOf(input, { what: 'call', where: `\`conn show ${incident.ref}\``, candidates: () => incident.calls.map((c) => c.id) });
}

/**
 * The call a command without a call id means: the one still running. With none running, or
 * several (two people started one each), the person names it rather than Conn guessing.
 */
async function runningCallOf(ctx: Pick<AppendContext, 'incident'>, input: string | undefined): Promise<string> {
  const { incident } = ctx;
  if (input !== undefined) {
    const id = await callOf(ctx, input);
    const ended = incident.calls.find((c) => c.id === id)?.endedAt ?? null;
    if (ended !== null) throw new ConnError('conflict', `that call ended at ${ended}; start a new one with \`conn call start ${incident.ref}\``);
    return id;
  }
  const running = incident.calls.filter((c) => c.endedAt === null);
  if (running.length === 0) throw new ConnError('not-found', `no call is running on ${incident.ref}; start one with \`conn call start ${incident.ref}\``);
  if (running.length > 1) {
    throw new ConnError('invalid-input', `${running.length} calls are running on ${incident.ref} (${running.map((c) => `${c.title ?? 'call'} ${c.id.slice(0, 13)}`).join(', ')}): name one with --call ID`);
  }
  return running[0]!.id;
}

/** The person a join or leave is about: --person (someone on the phone), else whoever runs conn. */
async function personOf({ api }: Pick<AppendContext, 'api'>, person: string | undefined): Promise<string> {
  return person ?? (await api.call('profile.get', {})).name;
}

function role(input: string): string {
  try {
    return parseRole(input);
  } catch (err) {
    throw new ConnError('invalid-input', (err as Error).message);
  }
}

const ATTENDEE_WORDS = { person: '--person', target: '--call' };
const PLAN_WORDS = { at: '--at', lengthMin: '--length', attendees: '--with', title: '--title' };

/** `conn call plan --at TIME`: the person chose the time; the names need no zone to be invited. */
async function scheduleAt(g: ReturnType<typeof globalsOf>, ref: string, o: { with: string; at: string; lengthMin: number; title: string | undefined }) {
  const zone = await withApi(g, async (api) => (await api.call('profile.get', {})).timeZone);
  const at = dueArg(o.at, zone);
  // A minute's grace for clocks that differ a little: a call planned in the past notifies nobody.
  if (Date.parse(at) < Date.now() - 60_000) throw new ConnError('invalid-input', `--at ${o.at} is already past: plan the call for a time still to come`);
  const when = `${formatInZone(at, zone, { seconds: false })} (${at.slice(11, 16)} UTC)`;
  await append(
    g,
    ref,
    'call.planned',
    async ({ api }) => {
      const me = (await api.call('profile.get', {})).name;
      const names = [me, ...o.with.split(',')].map((n) => n.trim()).filter((n, i, all) => n && all.findIndex((x) => x.toLowerCase() === n.toLowerCase()) === i);
      return { at, lengthMin: o.lengthMin, attendees: names, ...(o.title !== undefined ? { title: o.title } : {}) };
    },
    `Call planned for ${when}, ${o.lengthMin} min`,
    PLAN_WORDS,
  );
}

export function register(program: Command): void {
  const call = program
    .command('call')
    .description('bridge calls: `conn call start REF`, `conn call join|leave REF`, `conn call end REF` (drafts its minutes), `conn call plan REF`');

  call
    .command('start', { isDefault: true })
    .description('start a bridge call for the incident (who joins is recorded with `conn call join`)')
    .argument('<ref>', 'the incident reference or id')
    .option('--title <text>', 'what the call is for')
    .option('--bridge <where>', 'how to join: a dial-in or a link')
    .action(async (ref: string, opts: { title?: string; bridge?: string }, cmd: Command) => {
      const payload = { ...(opts.title !== undefined ? { title: opts.title } : {}), ...(opts.bridge !== undefined ? { bridge: opts.bridge } : {}) };
      await append(globalsOf(cmd), ref, 'call.started', () => payload, 'Call started', { title: '--title', bridge: '--bridge' });
    });

  call
    .command('plan')
    .description("propose times for a call with people in other zones, most inside their working hours first")
    .argument('<ref>', 'the incident reference or id')
    .requiredOption('--with <names>', 'who should be on it, comma-separated (you are added)')
    .option('--length <duration>', 'how long: 30m, 1h, 1h30m', '30m')
    .option('--count <n>', 'how many times to propose', '5')
    .option('--tz <name=zone>', "where someone this cockpit has no profile of is: bo=Asia/Tokyo (hours 09:00-17:00) or bo=Asia/Tokyo@08:00-16:00; repeat it", (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--schedule <n>', 'plan the call at proposal number N: a call.planned on the timeline that notifies those attending')
    .option('--at <time>', 'plan the call at this time instead: 16:30 (your clock), 2h, or an ISO time')
    .option('--title <text>', 'what the planned call is for (with --schedule or --at)')
    .addHelpText('after', '\nSlots start on the half hour (UTC) within the next 72 hours; each line shows every attendee\'s own clock.\nWithout --schedule or --at nothing is written: pick a slot, then run the same command with --schedule N.')
    .action(async (ref: string, opts: { with: string; length: string; count: string; tz: string[]; schedule?: string; at?: string; title?: string }, cmd: Command) => {
      const g = globalsOf(cmd);
      const lengthMin = parseLength(opts.length);
      const count = Number(opts.count);
      if (!Number.isInteger(count) || count < 1 || count > 20) throw new ConnError('invalid-input', `--count is a whole number from 1 to 20, not "${opts.count}"`);
      const pairs = opts.tz.map(parseTzPair);
      if (opts.schedule !== undefined && opts.at !== undefined) throw new ConnError('invalid-input', 'give either --schedule N or --at TIME, not both');
      if (opts.title !== undefined && opts.schedule === undefined && opts.at === undefined) throw new ConnError('invalid-input', '--title names a call you plan: add --schedule N or --at TIME');
      const pick = opts.schedule === undefined ? undefined : Number(opts.schedule);
      if (pick !== undefined && (!Number.isInteger(pick) || pick < 1 || pick > count)) {
        throw new ConnError('invalid-input', `--schedule is the number of a proposed slot, 1 to ${count}, not "${opts.schedule}"`);
      }
      if (opts.at !== undefined) {
        await scheduleAt(g, ref, { with: opts.with, at: opts.at, lengthMin, title: opts.title });
        return;
      }
      const got = await withApi(g, async (api) => {
        const incident = await incidentOf(api, ref);
        const me = await api.call('profile.get', {});
        // Everyone whose profile this cockpit knows: its own and the teammates' the hub shared
        // ('profiles.list'); --tz places anyone else.
        const known: KnownProfile[] = (await api.call('profiles.list', {})).map((p) => ({ name: p.name, timeZone: p.timeZone, workingHours: p.workingHours }));
        const names = [me.name, ...opts.with.split(',')].filter((n, i, all) => all.findIndex((x) => x.trim().toLowerCase() === n.trim().toLowerCase()) === i);
        const attendees = attendeesOf(names, known, pairs);
        return { ref: incident.ref, zone: me.timeZone, slots: planCall({ attendees, lengthMin, from: new Date(), count }) };
      });
      if (pick !== undefined) {
        const slot = got.slots[pick - 1];
        if (!slot) throw new ConnError('not-found', `only ${got.slots.length} slots could be proposed; pick one of them`);
        const when = `${formatInZone(slot.start, got.zone, { seconds: false })} (${slot.start.slice(11, 16)} UTC)`;
        const clocks = slot.attendees.map((a) => `${a.name} ${a.localStart.slice(11)}${a.inside ? '' : ' (outside hours)'}`).join(', ');
        const payload = { at: slot.start, lengthMin, attendees: slot.attendees.map((a) => a.name), ...(opts.title !== undefined ? { title: opts.title } : {}) };
        await append(g, ref, 'call.planned', () => payload, `Call planned for ${when}, ${lengthMin} min, with ${clocks}`, PLAN_WORDS);
        return;
      }
      output(g, got, () =>
        got.slots
          .map((slot, i) =>
            [
              `${i + 1}. ${formatInZone(slot.start, got.zone, { seconds: false })} (${slot.start.slice(11, 16)} UTC), ${slot.inside} of ${slot.attendees.length} inside working hours`,
              ...slot.attendees.map((a) => `     ${a.inside ? '✓' : '✗'} ${a.name}: ${a.localStart} – ${a.localEnd.slice(11)}`),
            ].join('\n'),
          )
          .join('\n'),
      );
    });

  call
    .command('join')
    .description('record that you (or --person, someone who dialled in) joined the running call')
    .argument('<ref>', 'the incident reference or id')
    .option('--person <name>', 'who joined, if not you')
    .option('--call <call-id>', 'which call, when several are running')
    .addHelpText('after', `\nIn the app, being on the incident while a call runs records you as joined.${CALL_HELP}`)
    .action(async (ref: string, opts: { person?: string; call?: string }, cmd: Command) => {
      await append(globalsOf(cmd), ref, 'attendee.joined', async (ctx) => ({ target: await runningCallOf(ctx, opts.call), person: await personOf(ctx, opts.person) }), `${opts.person ?? 'You'} joined the call`, ATTENDEE_WORDS);
    });

  call
    .command('leave')
    .description('record that you (or --person) left the running call')
    .argument('<ref>', 'the incident reference or id')
    .option('--person <name>', 'who left, if not you')
    .option('--call <call-id>', 'which call, when several are running')
    .addHelpText('after', CALL_HELP)
    .action(async (ref: string, opts: { person?: string; call?: string }, cmd: Command) => {
      await append(globalsOf(cmd), ref, 'attendee.left', async (ctx) => ({ target: await runningCallOf(ctx, opts.call), person: await personOf(ctx, opts.person) }), `${opts.person ?? 'You'} left the call`, ATTENDEE_WORDS);
    });

  call
    .command('upcoming')
    .description('calls planned on active incidents for the next day (or --hours), soonest first, in your zone')
    .option('--hours <n>', 'how far ahead to look', '24')
    .option('--mine', 'only calls you are on')
    .action(async (opts: { hours: string; mine?: boolean }, cmd: Command) => {
      const g = globalsOf(cmd);
      const hours = Number(opts.hours);
      if (!Number.isInteger(hours) || hours < 1 || hours > 14 * 24) throw new ConnError('invalid-input', `--hours is a whole number from 1 to ${14 * 24}, not "${opts.hours}"`);
      const got = await withApi(g, async (api) => ({
        zone: (await api.call('profile.get', {})).timeZone,
        calls: (await api.call('calls.upcoming', { withinMin: hours * 60 })).filter((c) => !opts.mine || c.you),
      }));
      output(g, got.calls, () =>
        got.calls.length === 0
          ? `no calls planned in the next ${hours} hours`
          : got.calls
              .map((c) => `${formatInZone(c.call.at, got.zone, { seconds: false })}  ${c.ref}  ${c.call.lengthMin} min${c.call.title ? `  ${terminalSafe(c.call.title)}` : ''}  with ${terminalSafe(c.call.attendees.join(', '))}${c.you ? '  (you)' : ''}`)
              .join('\n'),
      );
    });

  const endAction = async (ref: string, id: string | undefined, _opts: unknown, cmd: Command) => {
    const g = globalsOf(cmd);
    const done = await withApi(g, async (api) => {
      const incident = await incidentOf(api, ref);
      // A named call goes to the core as named: it says so if that call already ended.
      const callId = id === undefined ? await runningCallOf({ incident }, undefined) : await callOf({ incident }, id);
      return { ...(await api.call('calls.end', { incidentId: incident.id, callId })), ref: incident.ref };
    });
    const text = (done.minutes.payload as { text: string }).text;
    output(g, done, () => `Call ended on ${done.ref}  [${done.ended.id}]\nDraft minutes  [${done.minutes.id}] (publish with \`conn minutes ${done.ref} --call ${(done.ended.payload as { target: string }).target.slice(0, 8)} --publish\`):\n\n${terminalSafe(text)}`);
  };

  call
    .command('end')
    .description('end the running call (or the one named); Conn writes its minutes as a draft and prints them')
    .argument('<ref>', 'the incident reference or id')
    .argument('[call-id]', 'the call (its id, or a start of it); without it, the one running')
    .addHelpText('after', CALL_HELP)
    .action(endAction);

  program
    .command('call-end')
    .description('end a bridge call (the same as `conn call end`)')
    .argument('<ref>', 'the incident reference or id')
    .argument('<call-id>', 'the call (its id, or a start of it)')
    .addHelpText('after', CALL_HELP)
    .action(endAction);

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
    .description("print a call's minutes (the latest call's without --call), publish them, or write minutes yourself")
    .argument('<ref>', 'the incident reference or id')
    .argument('[text...]', 'minutes to write (a draft unless --publish); without text, the minutes that stand are printed')
    .option('--call <call-id>', 'the call they are the minutes of')
    .option('--file <path>', 'read the minutes to write from a file')
    .option('--publish', 'publish: the given text, or the draft as it stands (the scribe, the commander or a team admin)')
    .option('--out <file>', 'write the minutes to a file as Markdown instead of printing them')
    .addHelpText('after', `${TEXT_HELP}${CALL_HELP}\nWhen a call ends, Conn writes its minutes as a draft; publishing supersedes it.`)
    .action(async (ref: string, words: string[], opts: { call?: string; file?: string; publish?: boolean; out?: string }, cmd: Command) => {
      const g = globalsOf(cmd);
      const call = opts.call;
      const status = opts.publish ? 'published' : 'draft';
      if (words.length > 0 || opts.file !== undefined) {
        const text = await textArg(words, opts.file);
        await append(g, ref, 'minutes.written', async (ctx) => ({ text, status, ...(call !== undefined ? { target: await callOf(ctx, call) } : {}) }), `Minutes ${status === 'draft' ? 'drafted' : 'published'}`, {
          target: '--call',
        });
        return;
      }
      const got = await withApi(g, async (api) => {
        const incident = await incidentOf(api, ref);
        const zone = (await api.call('profile.get', {})).timeZone;
        const callId = call === undefined ? undefined : await callOf({ incident }, call);
        let minutes = await api.call('minutes.get', { incidentId: incident.id, ...(callId !== undefined ? { callId } : {}) });
        if (minutes === null) {
          throw new ConnError('not-found', `no minutes${call !== undefined ? ' of that call' : ''} on ${incident.ref} yet; they are drafted when a call ends (\`conn call end\`)`);
        }
        const target = (minutes.payload as { target?: string }).target;
        if (opts.publish) {
          if (target === undefined) throw new ConnError('invalid-input', 'only minutes of a call can be published this way; pass the text with --publish');
          minutes = await api.call('minutes.publish', { incidentId: incident.id, callId: target });
        }
        // To read: in the reader's zone while they are still the minutes Conn wrote.
        const reading = target === undefined ? null : await api.call('minutes.read', { incidentId: incident.id, callId: target });
        return { minutes, ref: incident.ref, zone, reading };
      });
      const p = got.minutes.payload as { text: string; status?: 'draft' | 'published' };
      const at = hlcToDate(got.minutes.hlc).toISOString();
      const head = `<!-- ${p.status ?? 'published'}, by ${got.minutes.author.name} at ${formatInZone(at, got.zone)} (${at}) -->\n`;
      const markdown = `${head}${got.reading?.text ?? p.text}\n`;
      if (opts.out) {
        writeFileSync(opts.out, markdown, { flag: 'w' });
        output(g, { written: opts.out, minutes: got.minutes }, () => `wrote ${opts.out}`);
      } else output(g, { ...got.minutes, ref: got.ref, at, markdown, localised: got.reading?.localised ?? false }, () => terminalSafe(markdown));
    });

  const handoff = program
    .command('handoff')
    .description('hand a role over: `conn handoff offer REF` (with a brief Conn drafts), `conn handoff accept REF`')
    .addHelpText('after', '\nThe older form `conn handoff REF ROLE BRIEF… [--to NAME]` still offers a role with your own brief.');

  const offerWith = async (g: ReturnType<typeof globalsOf>, ref: string, r: string, to: string | null, brief: (ctx: AppendContext) => Promise<string> | string) =>
    append(g, ref, 'handoff.offered', async (ctx) => ({ role: r, to, brief: await brief(ctx) }), `${r} offered${to ? ` to ${to}` : ''}`, { to: '--to', brief: '--brief' });

  handoff
    .command('offer')
    .description('offer a role (the commander role by default) with a brief of where things stand, drafted by Conn unless you give one')
    .argument('<ref>', 'the incident reference or id')
    .argument('[brief...]', 'your own brief instead of the drafted one (- reads stdin)')
    .option('--to <name>', 'who should take it; without it, anyone may')
    .option('--role <role>', 'the role handed over: commander (or ic), comms, scribe, ops, or a custom role', 'commander')
    .option('--brief <text>', 'your own brief instead of the drafted one')
    .option('--file <path>', 'read your brief from a file')
    .addHelpText('after', `${TEXT_HELP}\nThe drafted brief covers impact now, what changed since the role's holder took it, hypotheses, open actions and their owners, and the next update due.`)
    .action(async (ref: string, words: string[], opts: { to?: string; role: string; brief?: string; file?: string }, cmd: Command) => {
      const r = role(opts.role);
      const to = opts.to ?? null;
      const own = opts.brief !== undefined ? opts.brief : words.length > 0 || opts.file !== undefined ? await textArg(words, opts.file) : null;
      await offerWith(globalsOf(cmd), ref, r, to, async ({ api, incident }) => {
        if (own !== null) return own;
        return (await api.call('handoff.draft', { incidentId: incident.id, role: r, to })).brief;
      });
    });

  const acceptAction = async (ref: string, id: string | undefined, _opts: unknown, cmd: Command) => {
    await append(
      globalsOf(cmd),
      ref,
      'handoff.accepted',
      async ({ incident }) => {
        if (id !== undefined) {
          return { target: await entryIdOf(id, { what: 'hand-off', where: `\`conn show ${incident.ref}\``, candidates: () => incident.handoffs.map((h) => h.id) }) };
        }
        // Without an id, the one offer still open: with several, which to take is the person's call.
        const open = incident.handoffs.filter((h) => h.acceptedBy === null);
        if (open.length === 0) throw new ConnError('not-found', `no hand-off is waiting on ${incident.ref}`);
        if (open.length > 1) {
          throw new ConnError('invalid-input', `${open.length} hand-offs are waiting on ${incident.ref} (${open.map((h) => `${h.role} ${h.id.slice(0, 13)}`).join(', ')}): name the one to accept`);
        }
        return { target: open[0]!.id };
      },
      'Hand-off accepted',
      { target: 'OFFER_ID' },
    );
  };

  handoff
    .command('accept')
    .description('take a role offered to you (the one open offer, unless you name it); accepting makes you its holder')
    .argument('<ref>', 'the incident reference or id')
    .argument('[offer-id]', 'the hand-off (its id, or a start of it)')
    .addHelpText('after', '\nThe offer id is the one `conn show REF` lists under hand-offs, or a start of it (at least 6 characters).')
    .action(acceptAction);

  // The older forms, kept for scripts and fingers that know them.
  handoff
    .command('give', { isDefault: true, hidden: true })
    .description('offer your role to a teammate (or to whoever takes it) with a brief of where things stand')
    .argument('<ref>', 'the incident reference or id')
    .argument('<role>', 'the role handed over: commander (or ic), comms, scribe, ops, or a custom role')
    .argument('[brief...]', 'where things stand, for whoever takes over')
    .option('--to <name>', 'who should take it; without it, anyone may')
    .option('--file <path>', 'read the brief from a file')
    .action(async (ref: string, roleWord: string, words: string[], opts: { to?: string; file?: string }, cmd: Command) => {
      const r = role(roleWord);
      const brief = await textArg(words, opts.file);
      await offerWith(globalsOf(cmd), ref, r, opts.to ?? null, () => brief);
    });

  program
    .command('handoff-accept')
    .description('take a role a teammate offered you (the same as `conn handoff accept`)')
    .argument('<ref>', 'the incident reference or id')
    .argument('[offer-id]', 'the hand-off (its id, or a start of it); without it, the one open offer')
    .addHelpText('after', '\nThe offer id is the one `conn show REF` lists under hand-offs, or a start of it (at least 6 characters).')
    .action(acceptAction);
}
