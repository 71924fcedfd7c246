import type { Command } from 'commander';
import { globalsOf, output } from '../context.js';
import { timeZoneArg } from '../cli-input.js';
import { timelineRowJson, timelineRowText } from '../incident-text.js';
import { incidentOf, timelineRows } from '../lookups.js';
import { withApi } from '../open-core.js';

export function register(program: Command): void {
  program
    .command('timeline')
    .description("an incident's timeline, oldest first, with times in your zone (or --tz)")
    .argument('<ref>', 'the incident reference or id')
    .option('--tz <zone>', 'show times in this IANA zone, e.g. Asia/Tokyo or UTC')
    .option('--pinned', 'only pinned entries')
    .addHelpText('after', '\nWith --json: an array of { id, kind, text, author, at (ISO 8601, UTC), ... }.')
    .action(async (ref: string, opts: { tz?: string; pinned?: boolean }, cmd: Command) => {
      const g = globalsOf(cmd);
      const tz = opts.tz === undefined ? undefined : timeZoneArg(opts.tz);
      const { items, zone } = await withApi(g, async (api) => {
        const { id } = await incidentOf(api, ref);
        const items = await timelineRows(api, id, opts.pinned ? { pinned: true } : {});
        return { items, zone: tz ?? (await api.call('profile.get', {})).timeZone };
      });
      output(g, items.map(timelineRowJson), () => (items.length ? items.map((i) => timelineRowText(i, zone)).join('\n') : 'No entries.'));
    });
}
