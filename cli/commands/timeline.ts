import type { Command } from 'commander';
import type { TimelineCursor } from '../../shared/api/contract.js';
import { HLC_ZERO } from '../../shared/sync/hlc.js';
import { globalsOf, output } from '../context.js';
import { timeZoneArg } from '../cli-input.js';
import { timelineRowJson, timelineRowText } from '../incident-text.js';
import { withCore } from '../open-core.js';

/** A cursor before every row, to walk forward from the start. */
const START: TimelineCursor = { hlc: HLC_ZERO, id: '00000000-0000-0000-0000-000000000000' };
/** Rows per keyset page: the CLI walks the whole timeline, but never holds a query open for it. */
const PAGE = 500;

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
      const { items, zone } = await withCore(g, (core) => {
        const { id } = core.incidents.get(ref);
        const all = [];
        let after = START;
        for (;;) {
          const w = core.timeline({ incidentId: id, after, limit: PAGE, ...(opts.pinned ? { pinned: true } : {}) });
          all.push(...w.items);
          const last = w.items[w.items.length - 1];
          if (!w.hasAfter || !last) break;
          after = { hlc: last.hlc, id: last.id };
        }
        return { items: all, zone: tz ?? core.profile.get().timeZone };
      });
      output(g, items.map(timelineRowJson), () => (items.length ? items.map((i) => timelineRowText(i, zone)).join('\n') : 'No entries.'));
    });
}
