import { Command, CommanderError } from 'commander';
import { RpcCallError } from '../shared/api/rpc-client.js';
import { ConnError } from '../shared/domain/errors.js';
import { COMMAND_MODULES } from './commands/index.js';
import { output } from './context.js';
import { VERSION } from './version.js';

/*
 * `conn`: the cockpit's core from a terminal. Each command module registers its commands on the
 * program; this file only owns the global options and how failures reach the user: one line on
 * stderr (`conn: …`, or `{"error":{"code","message"}}` with --json), a non-zero exit, and no
 * stack trace unless CONN_DEBUG is set.
 */
export function buildProgram(opts: { json?: boolean } = {}): Command {
  const program = new Command('conn')
    .description('Conn: the offline-first incident cockpit, from a terminal')
    .option('--data-dir <dir>', 'where Conn keeps its database (default: the OS app-data folder; env CONN_DATA_DIR)')
    .option('--json', 'machine-readable output')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', '\n`conn --version` prints the version (--json: {"version": "…"}).')
    .exitOverride();
  // With --json, commander's own error text would be a second, unparseable line: run() writes
  // the JSON one instead. Set before the commands are added, which copy the output settings.
  if (opts.json) program.configureOutput({ outputError: () => {}, writeErr: () => {} });
  for (const register of COMMAND_MODULES) register(program);
  // Every subcommand inherits the overrides so errors are reported the same way.
  // Nested ones too (`conn call end`), so theirs are as well.
  const override = (cmd: Command): void => {
    cmd.exitOverride();
    cmd.commands.forEach(override);
  };
  program.commands.forEach(override);
  return program;
}

/** The exit code of a failure's code: the same for a ConnError raised here and an API call's RpcCallError. */
function exitCodeFor(code: string): number {
  switch (code) {
    case 'not-found':
      return 3;
    case 'unavailable':
      return 4;
    // Refused by the hub until a person acts (a new token, a role, an upgrade): retrying cannot help.
    case 'unauthenticated':
    case 'forbidden':
    case 'incompatible':
      return 5;
    case 'refused':
      return 6;
    default:
      return 1;
  }
}

/** Global options that take a value, so the scan below never mistakes the value for a flag. */
const VALUED_GLOBALS = new Set(['--data-dir']);

/**
 * What argv asks of conn itself, read before commander runs: whether errors must be JSON (even
 * a usage error commander raises before any option is parsed), and whether this is
 * `conn --version`. The version flag counts only before the command, because `runbook show
 * --version N` has an option of that name; a program-level option would swallow it.
 */
export function globalFlags(argv: readonly string[]): { json: boolean; version: boolean } {
  const end = argv.indexOf('--');
  const words = end === -1 ? argv : argv.slice(0, end);
  let version = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '--version' || w === '-V') version = true;
    else if (VALUED_GLOBALS.has(w)) i++;
    else if (!(w === '--json' || [...VALUED_GLOBALS].some((g) => w.startsWith(`${g}=`)))) break;
  }
  return { json: words.includes('--json'), version };
}

/** "conn runbook": the command argv names, as far as it goes, for a hint that fits. */
function commandPath(program: Command, argv: readonly string[]): string {
  const names = [program.name()];
  let cmd = program;
  for (const w of argv) {
    const sub = cmd.commands.find((c) => c.name() === w || c.aliases().includes(w));
    if (!sub) continue;
    names.push(sub.name());
    cmd = sub;
  }
  return names.join(' ');
}

/** Writes one failure line and returns the exit code. */
function report(json: boolean, code: string, message: string, exit: number): number {
  process.stderr.write(json ? `${JSON.stringify({ error: { code, message } })}\n` : `conn: ${message}\n`);
  return exit;
}

export async function run(argv: string[]): Promise<number> {
  const flags = globalFlags(argv);
  if (flags.version) {
    output({ dataDir: '', json: flags.json }, { version: VERSION }, () => VERSION);
    return 0;
  }
  const program = buildProgram({ json: flags.json });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help is an "error" to commander; it has already printed.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.help') {
        // `conn --json` or `conn runbook --json` with no command: the help text went nowhere.
        if (flags.json && err.exitCode !== 0) return report(true, 'usage', `a command is needed: run \`${commandPath(program, argv)} --help\` to see them`, 2);
        return 0;
      }
      // Without --json, commander printed its message and the --help hint.
      return flags.json ? report(true, 'usage', err.message.replace(/^error: /, ''), 2) : 2;
    }
    if (err instanceof ConnError) return report(flags.json, err.code, err.message, exitCodeFor(err.code));
    if (err instanceof RpcCallError) {
      // The RPC server keeps an internal failure's details for its host's log; here the log is
      // stderr with CONN_DEBUG (cli/open-core.ts), so say that instead of pointing at a log file.
      const message = err.code === 'internal' ? 'the core failed to handle this request; run it again with CONN_DEBUG=1 to see why' : err.message;
      return report(flags.json, err.code, message, exitCodeFor(err.code));
    }
    if (process.env['CONN_DEBUG']) console.error(err);
    return report(flags.json, 'internal', err instanceof Error ? err.message : String(err), 1);
  }
}
