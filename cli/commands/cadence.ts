import type { Command } from 'commander';
import { effectiveCadenceText, cadenceArgs } from '../cadence-text.js';
import { globalsOf, output } from '../context.js';
import { withApi } from '../open-core.js';

/*
 * `conn cadence [set|reset]`: the team's stakeholder-update cadence. `conn cadence` shows the
 * one this cockpit's countdowns use and where it comes from (offline too: the last copy the hub
 * gave); `set` and `reset` ask the hub, which lets only team admins change it.
 */

const SPEC_HELP = 'SEV1=15m (first within 15m, then every 15m), SEV1=5m/20m (first within 5m, then every 20m), SEV5=none; each from 1m to 24h';

export function register(program: Command): void {
  const cadence = program.command('cadence').description("the team's stakeholder-update cadence per severity: show it, or (admins) change it on the hub");

  cadence
    .command('show', { isDefault: true })
    .description('the cadence the countdowns use, and where it comes from')
    .action(async (_o: unknown, cmd: Command) => {
      const g = globalsOf(cmd);
      const e = await withApi(g, (api) => api.call('cadence.get', {}));
      output(g, e, () => effectiveCadenceText(e));
    });

  cadence
    .command('set')
    .description("change some severities for the whole team, through the hub (team admins only); the others keep theirs")
    .argument('<entries...>', SPEC_HELP)
    .action(async (entries: string[], _o: unknown, cmd: Command) => {
      const g = globalsOf(cmd);
      const changes = cadenceArgs(entries);
      const e = await withApi(g, (api) => api.call('cadence.set', { changes }));
      output(g, e, () => `${e.changed ? 'Changed' : 'No change to'} the team's cadence.\n${effectiveCadenceText(e)}`);
    });

  cadence
    .command('reset')
    .description("put the team back on Conn's defaults, through the hub (team admins only)")
    .action(async (_o: unknown, cmd: Command) => {
      const g = globalsOf(cmd);
      const e = await withApi(g, (api) => api.call('cadence.reset', {}));
      output(g, e, () => `${e.changed ? 'The team is back on' : 'The team already was on'} Conn's defaults.\n${effectiveCadenceText(e)}`);
    });
}
