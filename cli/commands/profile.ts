import type { Command } from 'commander';
import { globalsOf, output } from '../context.js';
import { ProfileUpdateSchema } from '../../shared/domain/profile.js';
import { checkedInput, timeZoneArg } from '../cli-input.js';
import { withApi } from '../open-core.js';
import { terminalSafe } from '../terminal-safe.js';
import type { TeamProfile } from '../../shared/api/results.js';
import { ConnError } from '../../shared/domain/errors.js';
import { localClock } from '../../shared/time/zone.js';
import { isWorkingAt } from '../../shared/time/working-hours.js';

export function register(program: Command): void {
  registerProfile(program);
  registerTeam(program);
}

function registerProfile(program: Command): void {
  program
    .command('profile')
    .description('show or change who you are: your name (on every entry you write), time zone and working hours')
    .option('--name <name>', 'your display name')
    .option('--tz <zone>', 'your IANA time zone, e.g. Europe/Berlin; times are shown in it')
    .option('--hours <from-to>', 'your working hours in your zone, e.g. 09:00-17:00')
    .action(async (opts: { name?: string; tz?: string; hours?: string }, cmd: Command) => {
      const g = globalsOf(cmd);
      const update = {
        ...(opts.name !== undefined ? { name: opts.name } : {}),
        ...(opts.tz !== undefined ? { timeZone: timeZoneArg(opts.tz) } : {}),
        ...(opts.hours !== undefined ? { workingHours: opts.hours } : {}),
      };
      checkedInput(ProfileUpdateSchema, update, { name: '--name', timeZone: '--tz', workingHours: '--hours' });
      const { profile, chosen } = await withApi(g, async (api) => ({
        profile: await (Object.keys(update).length ? api.call('profile.set', update) : api.call('profile.get', {})),
        chosen: (await api.call('profile.status', {})).chosen,
      }));
      // --json keeps the profile's own shape; the text says when it is still the unconfirmed default.
      output(g, profile, () => `${profile.name}  ${profile.timeZone}  working hours ${profile.workingHours}  (id ${profile.id})${chosen ? '' : '\n(not chosen yet: a guess from this machine; set it with --name, --tz and --hours, or in the app)'}`);
    });
}

/** One person as `conn team` shows them, at one instant. */
export interface TeamLine extends TeamProfile {
  localTime: string;
  working: boolean;
}

export function teamAt(profiles: readonly TeamProfile[], at: Date): TeamLine[] {
  return profiles.map((p) => ({ ...p, localTime: localClock(at, p.timeZone), working: isWorkingAt(p.workingHours, p.timeZone, at) }));
}

/** Whom `conn brief --for NAME` is written for: NAME's profile (zone, and their name as they spell it) when the team's profiles know them. */
export function teammateNamed(profiles: readonly TeamProfile[], name: string): TeamProfile | undefined {
  const key = name.trim().toLowerCase();
  return profiles.find((p) => p.name.toLowerCase() === key);
}

export function registerTeam(program: Command): void {
  program
    .command('team')
    .description("your team as the hub last told this cockpit: each person's time zone, local time now and whether they are inside their working hours")
    .option('--at <iso>', 'as of this ISO time instead of now, e.g. to see who is working at 2026-12-01T15:00:00Z')
    .action(async (opts: { at?: string }, cmd: Command) => {
      const g = globalsOf(cmd);
      let at = new Date();
      if (opts.at !== undefined) {
        at = new Date(opts.at);
        if (!/^\d{4}-\d\d-\d\dT/.test(opts.at) || Number.isNaN(at.getTime())) throw new ConnError('invalid-input', `cannot read the time "${opts.at}": give an ISO time like 2026-12-01T15:00:00Z`);
      }
      const lines = teamAt(await withApi(g, (api) => api.call('profiles.list', {})), at);
      output(g, lines, () => {
        const width = Math.max(...lines.map((l) => l.name.length + (l.self ? 6 : 0)));
        const rows = lines.map((l) =>
          [
            terminalSafe(`${l.name}${l.self ? ' (you)' : ''}`).padEnd(width),
            l.localTime,
            l.working ? 'working ' : 'off     ',
            `${l.workingHours}  ${l.timeZone}`,
          ].join('  '),
        );
        // Without a hub only we are known: say where the rest come from.
        if (lines.length === 1) rows.push('no teammates known yet: they appear once this cockpit syncs with a hub (`conn connect`, then the app or `conn web`)');
        return rows.join('\n');
      });
    });
}
