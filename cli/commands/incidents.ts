import type { Command } from 'commander';
import { PAYLOADS } from '../../shared/domain/events.js';
import { SEVERITIES, SEVERITY_MEANING } from '../../shared/domain/severity.js';
import { isActiveStatus, STATUSES, STATUS_MEANING } from '../../shared/domain/status.js';
import { ConnError } from '../../shared/domain/errors.js';
import { append } from '../append.js';
import { globalsOf, output } from '../context.js';
import { checkedInput, severityArg, timeZoneArg } from '../cli-input.js';
import { incidentListText, incidentText } from '../incident-text.js';
import { incidentOf } from '../lookups.js';
import { withApi } from '../open-core.js';
import { deliveriesText } from '../delivery-text.js';

export const SEVERITY_HELP = `\nSeverities:\n${SEVERITIES.map((s) => `  ${s}  SEV${s}: ${SEVERITY_MEANING[s]}`).join('\n')}`;
export const STATUS_HELP = `\nStatuses:\n${STATUSES.map((s) => `  ${s.padEnd(13)} ${STATUS_MEANING[s]}`).join('\n')}`;

const collect = (value: string, prev: string[]) => [...prev, value];

/** `conn declare`, `conn list`, `conn show`, `conn incident edit`: incidents as a whole. */
export function register(program: Command): void {
  program
    .command('declare')
    .description('declare a new incident and print its reference (e.g. INC-7KQ2XM)')
    .argument('<title>', 'what is broken, in a few words')
    .option('--sev <1-5>', 'severity, 1 is the worst', '3')
    .option('--service <name>', 'an affected service (repeat for several)', collect, [] as string[])
    .option('--summary <text>', 'a longer description')
    .addHelpText('after', SEVERITY_HELP)
    .action(async (title: string, opts: { sev: string; service: string[]; summary?: string }, cmd: Command) => {
      const g = globalsOf(cmd);
      const severity = severityArg(opts.sev);
      const input = { title, severity, services: opts.service, summary: opts.summary };
      checkedInput(PAYLOADS['incident.declared'], input, { services: '--service', summary: '--summary' });
      const { id, ref } = await withApi(g, (api) => api.call('incidents.declare', input));
      output(g, { id, ref, title: title.trim(), severity }, () => ref);
    });

  program
    .command('list')
    .description('list active incidents, worst first (--all includes resolved and closed)')
    .option('--all', 'include resolved and closed incidents')
    .option('--tz <zone>', 'show times in this IANA zone instead of your profile\'s')
    .action(async (opts: { all?: boolean; tz?: string }, cmd: Command) => {
      const g = globalsOf(cmd);
      const tz = opts.tz === undefined ? undefined : timeZoneArg(opts.tz);
      const { list, zone } = await withApi(g, async (api) => {
        const rows = [];
        // Only active incidents owe updates; they are few, so only their states are read.
        for (const i of await api.call('incidents.list', { all: opts.all })) {
          rows.push({ ...i, nextUpdateDueAt: isActiveStatus(i.status) ? (await api.call('incidents.get', { ref: i.id })).nextUpdateDueAt : null });
        }
        return { list: rows, zone: tz ?? (await api.call('profile.get', {})).timeZone };
      });
      output(g, list, () => incidentListText(list, zone));
    });

  program
    .command('show')
    .description("an incident's current state: severity, status, roles, decisions, actions, milestones")
    .argument('<ref>', 'the reference (INC-7KQ2XM) or id, any letter case')
    .option('--tz <zone>', 'show times in this IANA zone instead of your profile\'s')
    .addHelpText('after', STATUS_HELP)
    .action(async (ref: string, opts: { tz?: string }, cmd: Command) => {
      const g = globalsOf(cmd);
      const tz = opts.tz === undefined ? undefined : timeZoneArg(opts.tz);
      const { state, zone, deliveries } = await withApi(g, async (api) => {
        const state = await incidentOf(api, ref);
        // Only the hub knows what became of the updates: asked only when there are some.
        const deliveries = state.updatesPosted > 0 ? await api.call('updates.deliveries', { incidentId: state.id }) : null;
        return { state, zone: tz ?? (await api.call('profile.get', {})).timeZone, deliveries };
      });
      output(g, deliveries ? { ...state, deliveries } : state, () => incidentText(state, zone) + (deliveries ? `
${deliveriesText(deliveries)}` : ''));
    });

  const incident = program.command('incident').description('change an incident as a whole');

  incident
    .command('edit')
    .description("change an incident's title, summary or services (what isn't given stays)")
    .argument('<ref>', 'the incident reference or id')
    .option('--title <text>', 'the new title')
    .option('--summary <text>', 'the new summary')
    .option('--service <name>', 'an affected service (repeat for several); the list replaces the current one', collect, [] as string[])
    .option('--clear-services', 'no affected services any more')
    .action(async (ref: string, opts: { title?: string; summary?: string; service: string[]; clearServices?: boolean }, cmd: Command) => {
      if (opts.clearServices && opts.service.length) throw new ConnError('invalid-input', 'give either --service or --clear-services, not both');
      const services = opts.clearServices ? [] : opts.service.length ? opts.service : undefined;
      if (opts.title === undefined && opts.summary === undefined && services === undefined) {
        throw new ConnError('invalid-input', 'nothing to change: give --title, --summary, --service or --clear-services');
      }
      const payload = { ...(opts.title !== undefined ? { title: opts.title } : {}), ...(opts.summary !== undefined ? { summary: opts.summary } : {}), ...(services ? { services } : {}) };
      const words = { title: '--title', summary: '--summary', services: '--service' };
      // Checked before the database is opened, in the options' words; the core checks again.
      checkedInput(PAYLOADS['incident.edited'], payload, words);
      await append(globalsOf(cmd), ref, 'incident.edited', () => payload, 'Incident edited', words);
    });
}
