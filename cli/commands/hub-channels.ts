import type { Command } from 'commander';
import { ConnError } from '../../shared/domain/errors.js';
import { CHANNEL_KINDS, type ChannelKind } from '../../shared/updates/delivery-protocol.js';
import type { HubStore } from '../../server/store/store.js';
import { globalsOf, output } from '../context.js';

/*
 * `conn hub channel add|list|remove`: where a team's stakeholder updates are delivered. Run on
 * the hub's machine, against its store (like invite): the secrets go into the hub's database
 * and nowhere else, never into a cockpit or the shared timeline. Works while the hub serves.
 */

type OpenStore = (dataDir: string, flags: object) => Promise<HubStore>;
type StoreFlags = (cmd: Command) => Command;

interface AddFlags {
  team: string;
  kind: string;
  url?: string;
  secret?: string;
  pageId?: string;
  apiKey?: string;
}

export function registerChannels(hub: Command, storeFlags: StoreFlags, openStore: OpenStore): void {
  const channel = hub.command('channel').description("where a team's stakeholder updates are delivered: webhook, Slack, Statuspage");

  storeFlags(
    channel
      .command('add')
      .description('add a delivery channel for a team (its secret stays on the hub)')
      .argument('<name>', 'a name for the channel, e.g. status-page or exec-slack')
      .requiredOption('--team <team>', 'team name')
      .requiredOption('--kind <kind>', CHANNEL_KINDS.join(', '))
      .option('--url <url>', 'webhook: the receiver; slack: the incoming-webhook URL; statuspage: the API base (default https://api.statuspage.io)')
      .option('--secret <secret>', 'webhook: the HMAC key (16+ characters); env CONN_CHANNEL_SECRET keeps it out of `ps`')
      .option('--page-id <id>', 'statuspage: the page id')
      .option('--api-key <key>', 'statuspage: the API key; env CONN_CHANNEL_API_KEY keeps it out of `ps`'),
  ).action(async (name: string, o: AddFlags, cmd: Command) => {
    const g = globalsOf(cmd);
    const { checkChannel } = await import('../../server/updates/channel-config.js');
    const input = checkChannel({
      name,
      kind: o.kind.toLowerCase() as ChannelKind,
      url: o.url ?? '',
      secret: o.secret ?? process.env['CONN_CHANNEL_SECRET'] ?? undefined,
      pageId: o.pageId,
      apiKey: o.apiKey ?? (o.kind.toLowerCase() === 'statuspage' ? process.env['CONN_CHANNEL_API_KEY'] : undefined),
    });
    const store = await openStore(g.dataDir, o);
    try {
      const added = await store.deliveries.addChannel(o.team, input);
      output(g, { ...added, team: o.team }, () => `Added ${added.kind} channel "${added.name}" (${added.target}) to team "${o.team}". Updates posted from now on go there.`);
    } finally {
      await store.close();
    }
  });

  storeFlags(channel.command('list').description("a team's delivery channels (never their secrets)").requiredOption('--team <team>', 'team name')).action(
    async (o: { team: string }, cmd: Command) => {
      const g = globalsOf(cmd);
      const store = await openStore(g.dataDir, o);
      try {
        const list = await store.deliveries.channels(o.team);
        output(g, list, () => (list.length ? list.map((c) => `${c.name}  ${c.kind}  ${c.target}`).join('\n') : `Team "${o.team}" has no delivery channels: add one with conn hub channel add.`));
      } finally {
        await store.close();
      }
    },
  );

  storeFlags(
    channel
      .command('remove')
      .description('remove a channel and its secret; its updates still queued end as failed')
      .argument('<name>', 'the channel')
      .requiredOption('--team <team>', 'team name'),
  ).action(async (name: string, o: { team: string }, cmd: Command) => {
    const g = globalsOf(cmd);
    const store = await openStore(g.dataDir, o);
    try {
      if (!(await store.deliveries.removeChannel(o.team, name))) throw new ConnError('not-found', `team "${o.team}" has no channel "${name}": see conn hub channel list --team ${o.team}`);
      output(g, { removed: true, team: o.team, name }, () => `Removed channel "${name}" from team "${o.team}".`);
    } finally {
      await store.close();
    }
  });
}
