import type { Command } from 'commander';
import { ConnError } from '../../shared/domain/errors.js';
import { parseSeverity, severityLabel, type Severity } from '../../shared/domain/severity.js';
import {
  defaultSettings,
  describeIntegration,
  IntegrationKindSchema,
  IntegrationSettingsSchema,
  type IntegrationKind,
  type IntegrationSettings,
} from '../../server/alerts/integration.js';
import type { HubStore } from '../../server/store/store.js';
import { globalsOf, output } from '../context.js';

/*
 * `conn hub integration add|set|list|revoke`: the team's ways in for alerts (server/alerts/).
 * Like invite and revoke, these work on the hub's store directly, while it serves.
 */

interface StoreAccess<F> {
  storeFlags: (cmd: Command) => Command;
  openStore: (dataDir: string, flags: F) => Promise<HubStore>;
}

interface SettingFlags {
  severityLabel: string[];
  map: string[];
  defaultSev?: string;
  serviceLabel: string[];
  resolveToMonitoring?: boolean;
  signingSecret?: string;
}

const collect = (value: string, prev: string[]) => [...prev, value];

function settingFlags(cmd: Command): Command {
  return cmd
    .option('--severity-label <label>', 'a label that says how bad an alert is, first present wins (repeat; replaces the list)', collect, [] as string[])
    .option('--map <value=sev>', 'a severity label value and its SEV, e.g. critical=1 or warning=sev3 (repeat; added to the mapping)', collect, [] as string[])
    .option('--default-sev <n>', 'the SEV when no severity label maps (default 3)')
    .option('--service-label <label>', 'a label whose value names a service (repeat; replaces the list; default: service)', collect, [] as string[])
    .option('--resolve-to-monitoring', 'a resolved alert moves its incident to monitoring once none of its alerts fires (the default)')
    .option('--no-resolve-to-monitoring', 'a resolved alert only adds a note')
    .option('--signing-secret <secret>', "PagerDuty's webhook signing secret; unsigned posts are then refused (env CONN_HUB_SIGNING_SECRET keeps it off `ps`)");
}

/** The settings after the flags given, over `base`; what is not given stays. */
function applyFlags(base: IntegrationSettings, o: SettingFlags): IntegrationSettings {
  const map: Record<string, Severity> = { ...base.severityMap };
  for (const pair of o.map) {
    const m = /^([^=]+)=(.+)$/.exec(pair);
    if (!m) throw new ConnError('invalid-input', `--map ${pair}: write it as VALUE=SEV, e.g. critical=1`);
    try {
      map[m[1]!.trim().toLowerCase()] = parseSeverity(m[2]!);
    } catch (err) {
      throw new ConnError('invalid-input', `--map ${pair}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const secret = o.signingSecret ?? process.env['CONN_HUB_SIGNING_SECRET'];
  const next = {
    ...base,
    severityMap: map,
    ...(o.severityLabel.length ? { severityLabels: o.severityLabel } : {}),
    ...(o.serviceLabel.length ? { serviceLabels: o.serviceLabel } : {}),
    ...(o.defaultSev !== undefined ? { defaultSeverity: severityOption(o.defaultSev) } : {}),
    ...(o.resolveToMonitoring !== undefined ? { resolveToMonitoring: o.resolveToMonitoring } : {}),
    ...(secret !== undefined ? { signingSecret: secret } : {}),
  };
  const parsed = IntegrationSettingsSchema.safeParse(next);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConnError('invalid-input', `${issue?.path.join('.') ?? 'settings'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

function severityOption(value: string): Severity {
  try {
    return parseSeverity(value);
  } catch (err) {
    throw new ConnError('invalid-input', `--default-sev: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function kindOption(value: string): IntegrationKind {
  const parsed = IntegrationKindSchema.safeParse(value.trim().toLowerCase());
  if (!parsed.success) throw new ConnError('invalid-input', `--kind ${value}: ${parsed.error.issues[0]?.message ?? 'unknown kind'}`);
  return parsed.data;
}

function settingsLine(s: IntegrationSettings): string {
  const map = Object.entries(s.severityMap)
    .map(([k, v]) => `${k}=${severityLabel(v)}`)
    .join(', ');
  return [
    `severity from ${s.severityLabels.join(' or ')} (${map}; otherwise ${severityLabel(s.defaultSeverity)})`,
    `services from ${s.serviceLabels.length ? s.serviceLabels.join(', ') : 'no label'}`,
    s.resolveToMonitoring ? 'resolved alerts move the incident to monitoring' : 'resolved alerts add a note only',
    ...(s.signingSecret !== undefined ? ['posts must be signed'] : []),
  ].join('; ');
}

export function registerIntegrationCommands<F>(hub: Command, access: StoreAccess<F>): void {
  const integration = hub.command('integration').description("the team's ways in for alerts: Alertmanager, PagerDuty, or the generic JSON shape");
  const withStore = async <T>(cmd: Command, flags: F, fn: (store: HubStore) => Promise<T>): Promise<T> => {
    const store = await access.openStore(globalsOf(cmd).dataDir, flags);
    try {
      return await fn(store);
    } finally {
      await store.close();
    }
  };

  access
    .storeFlags(
      settingFlags(
        integration
          .command('add')
          .description('make an integration and print its token (shown once; the hub keeps only a hash)')
          .argument('<name>', 'a short name: prod-alertmanager')
          .requiredOption('--team <team>', 'the team its alerts open incidents for')
          .requiredOption('--kind <kind>', 'alertmanager, pagerduty or generic'),
      ),
    )
    .action(async (name: string, o: F & SettingFlags & { team: string; kind: string }, cmd: Command) => {
      const g = globalsOf(cmd);
      const kind = kindOption(o.kind);
      const settings = applyFlags(defaultSettings(kind), o);
      const made = await withStore(cmd, o, (store) => store.addIntegration(o.team, name, kind, settings));
      const i = made.integration;
      output(g, { token: made.token, path: `/alerts/${kind}`, integration: describeIntegration(i) }, () =>
        [
          `Added the ${kind} integration "${i.name}" to team "${i.team}". Its token (shown once):`,
          '',
          `  ${made.token}`,
          '',
          `Post alerts to HUB_URL/alerts/${kind} with "Authorization: Bearer TOKEN" (or HUB_URL/alerts/${kind}?token=TOKEN).`,
          `Settings: ${settingsLine(i.settings)}.`,
        ].join('\n'),
      );
    });

  access
    .storeFlags(
      settingFlags(
        integration
          .command('set')
          .description("change an integration's settings; what is not given stays")
          .argument('<name>', "the integration's name")
          .requiredOption('--team <team>', 'team name'),
      ),
    )
    .action(async (name: string, o: F & SettingFlags & { team: string }, cmd: Command) => {
      const g = globalsOf(cmd);
      const updated = await withStore(cmd, o, async (store) => {
        const current = (await store.integrations(o.team)).find((i) => i.name === name.trim().toLowerCase());
        if (!current) throw new ConnError('not-found', `team "${o.team}" has no integration "${name}": \`conn hub integration list --team ${o.team}\` lists them`);
        return (await store.updateIntegration(o.team, name, applyFlags(current.settings, o)))!;
      });
      output(g, describeIntegration(updated), () => `Updated "${updated.name}" in team "${updated.team}": ${settingsLine(updated.settings)}.`);
    });

  access
    .storeFlags(integration.command('list').description("the team's integrations, revoked ones included").requiredOption('--team <team>', 'team name'))
    .action(async (o: F & { team: string }, cmd: Command) => {
      const g = globalsOf(cmd);
      const all = await withStore(cmd, o, (store) => store.integrations(o.team));
      output(g, all.map(describeIntegration), () =>
        all.length
          ? all.map((i) => `${i.name}  ${i.kind}${i.revoked ? '  (revoked)' : ''}\n  ${settingsLine(i.settings)}`).join('\n')
          : `Team "${o.team}" has no integrations: add one with \`conn hub integration add NAME --team ${o.team} --kind alertmanager\`.`,
      );
    });

  access
    .storeFlags(
      integration
        .command('revoke')
        .description("end an integration's token: its posts are refused (401) from now on")
        .argument('<name>', "the integration's name")
        .requiredOption('--team <team>', 'team name'),
    )
    .action(async (name: string, o: F & { team: string }, cmd: Command) => {
      const g = globalsOf(cmd);
      const done = await withStore(cmd, o, (store) => store.revokeIntegration(o.team, name));
      if (!done) throw new ConnError('not-found', `team "${o.team}" has no integration "${name}": \`conn hub integration list --team ${o.team}\` lists them`);
      output(g, { revoked: true, team: o.team, name }, () => `Revoked the integration "${name}" in team "${o.team}".`);
    });
}
