import type { Command } from 'commander';
import { ConnError } from '../../shared/domain/errors.js';
import { refFromId } from '../../shared/domain/incident-ref.js';
import { forgetConnection, loadConnection, loadHubUrl } from '../../main/core/sync/connection.js';
import { pendingCount } from '../../main/core/sync/outbox.js';
import { globalsOf, output, showProgress } from '../context.js';
import { connectToHub } from '../hub-connect.js';
import { withCore } from '../open-core.js';

/*
 * `conn connect` stores which hub this cockpit syncs with; `conn sync` pushes the outbox and
 * pulls until caught up, then exits. The desktop app and `conn web` run the same engine
 * continuously.
 */

export function register(program: Command): void {
  program
    .command('connect')
    .description('connect this cockpit to a team hub: checks the hub and the token, then stores the URL, and the token in a 0600 file')
    .argument('<hub-url>', 'the hub address, e.g. http://hub.example.com:7340; for a hub of several nodes, their addresses separated by commas (the cockpit fails over between them)')
    .requiredOption('--token <token>', 'the token `conn hub invite` printed for you')
    .option('--offline', 'save without checking (the hub is down or you are offline); `conn sync` checks later')
    .action((url: string, o: { token: string; offline?: boolean }, cmd: Command) => connectToHub(globalsOf(cmd), { url, ...o }));

  program
    .command('disconnect')
    .description('stop syncing with the hub and forget it and its token; what was written here stays here')
    .action(async (_o: unknown, cmd: Command) => {
      const g = globalsOf(cmd);
      // sync.disconnect stops a running engine; a terminal runs none, so forgetting is all there is to do.
      const r = await withCore(g, (core) => {
        const hub = loadHubUrl(core);
        if (hub) forgetConnection(core);
        return { hub, pending: pendingCount(core.db) };
      });
      output(g, { disconnected: r.hub, pending: r.pending }, () =>
        r.hub
          ? `Disconnected from ${r.hub}.${r.pending ? ` ${r.pending} entr${r.pending === 1 ? 'y' : 'ies'} not yet synced stay here and go to the next hub you connect.` : ''}`
          : 'This cockpit was not connected to a hub.',
      );
    });

  program
    .command('sync')
    .description('push what was written here and pull what teammates wrote, until caught up')
    .option('--timeout <seconds>', 'give up when the hub does not answer for this long', '15')
    .action(async (o: { timeout: string }, cmd: Command) => {
      const g = globalsOf(cmd);
      const seconds = Number(o.timeout);
      if (!Number.isFinite(seconds) || seconds <= 0) throw new ConnError('invalid-input', `--timeout ${o.timeout} is not a number of seconds`);
      // Lazy: the engine brings socket.io-client, which no other command needs.
      const { SyncEngine } = await import('../../main/core/sync/engine.js');
      await withCore(g, async (core, api) => {
        const conn = loadConnection(core);
        if (!conn) throw new ConnError('not-found', 'this cockpit is not connected to a hub: run `conn connect HUB_URL --token TOKEN` first');
        const progress = showProgress(g);
        const engine = new SyncEngine(core, {
          ...conn,
          requestTimeoutMs: seconds * 1000,
          connectTimeoutMs: seconds * 1000,
          ...(progress
            ? {
                onProgress: (p) => {
                  if (p.total >= 200) process.stderr.write(`\r${p.phase === 'push' ? 'pushing' : 'pulling'} ${p.done}/${p.total}…   `);
                },
              }
            : {}),
        });
        // A hub that asks us to slow down makes a long catch-up wait between pushes: say why, once per wait.
        let lastWait: string | undefined;
        const offStatus = engine.on('status', (s) => {
          if (s.errorCode !== 'rate-limited' || s.error === lastWait) return;
          lastWait = s.error;
          process.stderr.write(`${progress ? '\r\x1b[K' : ''}conn: ${s.error}\n`);
        });
        try {
          const report = await engine.runOnce();
          // Teammates' zones and hours ride along; a hub without profiles (or gone by now) costs only a note.
          const { exchangeProfilesOnce } = await import('../../main/core/sync/teammates.js');
          await exchangeProfilesOnce(core, conn, seconds * 1000).catch((err: unknown) => {
            process.stderr.write(`conn: teammates' profiles were not exchanged: ${err instanceof Error ? err.message : String(err)}\n`);
          });
          // So are the team's settings (update cadence, SLO), kept for the countdowns and reports offline.
          const { pullTeamSettingsOnce } = await import('../../main/core/sync/team-settings.js');
          await pullTeamSettingsOnce(core, conn, seconds * 1000).catch((err: unknown) => {
            process.stderr.write(`conn: the team's settings (update cadence, SLO) were not all checked: ${err instanceof Error ? err.message : String(err)}\n`);
          });
          if (progress) process.stderr.write('\r\x1b[K');
          const refused = (await api.call('events.refused', {})).filter((r) => report.rejected.some((x) => x.id === r.id));
          for (const r of refused) {
            process.stderr.write(`conn: the hub refused ${r.kind} ${r.id} in ${refFromId(r.incidentId)} (${r.code}): ${r.message}\n`);
          }
          const deferred = engine.status().deferred;
          if (deferred > 0) process.stderr.write(`conn: ${deferred} event${deferred === 1 ? '' : 's'} from a newer Conn ${deferred === 1 ? 'is' : 'are'} kept here unread; they apply when you upgrade\n`);
          output(g, { hub: conn.url, ...report, refused }, () =>
            `Synced with ${conn.url}: pushed ${report.pushed}, pulled ${report.pulled}; caught up at ${report.cursor}${refused.length ? `; ${refused.length} refused (see above)` : ''}.`,
          );
          if (refused.length) {
            // Exit 6: the command ran, but what it pushed did not all become part of the record.
            throw new ConnError(
              'refused',
              `${refused.length} entr${refused.length === 1 ? 'y was' : 'ies were'} refused and left out of the incident on this cockpit too: fix the cause and \`conn resend ID\` (or \`conn resend --all\`), or \`conn discard ID\``,
            );
          }
        } catch (err) {
          if (progress) process.stderr.write('\r\x1b[K');
          if (err instanceof ConnError && err.code !== 'refused') {
            const pending = pendingCount(core.db);
            throw new ConnError(err.code, `${err.message}. ${pending} event${pending === 1 ? '' : 's'} kept here and will sync next time`);
          }
          throw err;
        } finally {
          offStatus();
        }
      });
    });
}
