import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { ConnError } from '../../shared/domain/errors.js';
import { globalsOf, output } from '../context.js';

/**
 * Opens a URL in the person's browser; a failure only means they open it themselves. The URL
 * lands on the opener's command line, where any account can read it: never pass the token.
 */
function openInBrowser(url: string): void {
  // Without a display there is no browser to open; the printed address is the way in.
  if (process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY']) return;
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(cmd as string, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {}
}

export function register(program: Command): void {
  program
    .command('web')
    .description('serve the cockpit to your browser on 127.0.0.1, with the same database and sync as the desktop app')
    .option('--port <port>', 'TCP port on 127.0.0.1 (0 picks a free one)', '7341')
    .option('--open', 'open the cockpit in your browser (with a one-time link, never the token)')
    .action(async (opts: { port: string; open?: boolean }, cmd: Command) => {
      const g = globalsOf(cmd);
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new ConnError('invalid-input', `--port must be a number from 0 to 65535, not "${opts.port}"`);
      // Loaded here so `conn --help` never loads SQLite or the WebSocket server.
      const { findRendererDir } = await import('../../main/web/renderer-dir.js');
      const staticDir = findRendererDir();
      if (!staticDir) throw new ConnError('unavailable', 'the cockpit is not built yet: run `npm run build` (or `node scripts/build.mjs renderer`) first');
      const { composeCockpit } = await import('../../main/core/api/compose.js');
      const { startWebHost } = await import('../../main/web/web-host.js');

      const log = (err: unknown) => process.stderr.write(`conn web: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      const cockpit = await composeCockpit({ dataDir: g.dataDir, host: 'web', log });
      let host;
      try {
        host = await startWebHost({ rpc: cockpit.rpc, staticDir, port, recordingsDir: cockpit.core.recordings.dir });
      } catch (err) {
        await cockpit.close();
        throw err;
      }
      const hub = cockpit.sync?.hub;
      const sync = { describe: () => (hub ? `with ${hub}` : 'off: not connected to a hub (connect from the app, or `conn connect HUB_URL --token TOKEN`)') };
      output(g, { url: host.url, port: host.port, dataDir: g.dataDir, sync: sync.describe() }, () =>
        [`Conn is serving the cockpit at ${host.url}`, `  data: ${g.dataDir}`, `  sync: ${sync.describe()}`, '  Ctrl+C stops it.'].join('\n'),
      );
      if (opts.open) openInBrowser(host.launchUrl());

      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await host.close();
      await cockpit.close();
    });
}
