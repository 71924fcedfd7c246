import type { Command } from 'commander';
import { globalsOf, output } from '../context.js';
import { ProfileUpdateSchema } from '../../shared/domain/profile.js';
import { checkedInput, timeZoneArg } from '../cli-input.js';
import { withApi } from '../open-core.js';

export function register(program: Command): void {
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
      const profile = await withApi(g, (api) => (Object.keys(update).length ? api.call('profile.set', update) : api.call('profile.get', {})));
      output(g, profile, () => `${profile.name}  ${profile.timeZone}  working hours ${profile.workingHours}  (id ${profile.id})`);
    });
}
