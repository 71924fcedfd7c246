import type { Command } from 'commander';
import { DEFAULT_CADENCE } from '../../shared/domain/cadence.js';
import type { TeamCadence } from '../../shared/updates/cadence-protocol.js';
import type { HubStore } from '../../server/store/store.js';
import { cadenceArgs, cadenceLines } from '../cadence-text.js';
import { globalsOf, output } from '../context.js';

/*
 * `conn hub cadence show|set|reset --team T`: a team's stakeholder-update cadence, on the hub's
 * machine against its store (like `conn hub channel`), for the operator. Cockpits connected now
 * pull it within 5 minutes or at their next connect; `conn cadence set` from an admin's cockpit
 * goes through the running hub and reaches them at once.
 */

type OpenStore = (dataDir: string, flags: object) => Promise<HubStore>;
type StoreFlags = (cmd: Command) => Command;

function teamText(team: string, t: TeamCadence): string {
  const source = t.cadence ? `team "${team}"'s own${t.setBy ? `, set by ${t.setBy}` : ''}${t.setAt ? ` at ${t.setAt}` : ''}` : `Conn's defaults (team "${team}" has set none)`;
  return [`Stakeholder-update cadence: ${source}`, ...cadenceLines(t.cadence ?? DEFAULT_CADENCE, DEFAULT_CADENCE)].join('\n');
}

export function registerCadence(hub: Command, storeFlags: StoreFlags, openStore: OpenStore): void {
  const cadence = hub.command('cadence').description("a team's stakeholder-update cadence per severity (what every cockpit of the team counts down to)");
  const withStore = async <T>(cmd: Command, flags: object, fn: (store: HubStore) => Promise<T>): Promise<T> => {
    const store = await openStore(globalsOf(cmd).dataDir, flags);
    try {
      return await fn(store);
    } finally {
      await store.close();
    }
  };

  storeFlags(cadence.command('show').description("the team's cadence, or the defaults it uses").requiredOption('--team <team>', 'team name')).action(
    async (o: { team: string }, cmd: Command) => {
      const g = globalsOf(cmd);
      const t = await withStore(cmd, o, (store) => store.cadence.cadence(o.team));
      output(g, { team: o.team, ...t, effective: t.cadence ?? DEFAULT_CADENCE }, () => teamText(o.team, t));
    },
  );

  storeFlags(
    cadence
      .command('set')
      .description('change some severities; the others keep the team\'s entry (or the default)')
      .argument('<entries...>', 'SEV1=15m (first within 15m, then every 15m), SEV1=5m/20m (first, then every), SEV5=none; each from 1m to 24h')
      .requiredOption('--team <team>', 'team name'),
  ).action(async (entries: string[], o: { team: string }, cmd: Command) => {
    const g = globalsOf(cmd);
    const changes = cadenceArgs(entries);
    const { HUB_OPERATOR } = await import('../../server/team-settings/team-settings-store.js');
    const r = await withStore(cmd, o, (store) => store.cadence.setCadence(o.team, changes, HUB_OPERATOR));
    output(g, { team: o.team, ...r.team, changed: r.changed }, () => `${r.changed ? 'Changed' : 'No change to'} team "${o.team}"'s cadence. Connected cockpits pick it up within 5 minutes.\n${teamText(o.team, r.team)}`);
  });

  storeFlags(cadence.command('reset').description("put the team back on Conn's defaults").requiredOption('--team <team>', 'team name')).action(
    async (o: { team: string }, cmd: Command) => {
      const g = globalsOf(cmd);
      const { HUB_OPERATOR } = await import('../../server/team-settings/team-settings-store.js');
      const r = await withStore(cmd, o, (store) => store.cadence.setCadence(o.team, null, HUB_OPERATOR));
      output(g, { team: o.team, ...r.team, changed: r.changed }, () => `${r.changed ? `Team "${o.team}" is back on` : `Team "${o.team}" already was on`} Conn's defaults.\n${teamText(o.team, r.team)}`);
    },
  );
}
