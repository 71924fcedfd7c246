import { Command, CommanderError } from 'commander';
import { ConnError } from '../shared/domain/errors.js';
import { COMMAND_MODULES } from './commands/index.js';

/*
 * `conn`: the cockpit's core from a terminal. Each command module registers its commands on the
 * program; this file only owns the global options and how failures reach the user: one line on
 * stderr, a non-zero exit, and no stack trace unless CONN_DEBUG is set.
 */
export function buildProgram(): Command {
  const program = new Command('conn')
    .description('Conn: the offline-first incident cockpit, from a terminal')
    .option('--data-dir <dir>', 'where Conn keeps its database (default: the OS app-data folder; env CONN_DATA_DIR)')
    .option('--json', 'machine-readable output')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const register of COMMAND_MODULES) register(program);
  // Every subcommand inherits the overrides so errors are reported the same way.
  for (const cmd of program.commands) cmd.exitOverride();
  return program;
}

function exitCodeFor(err: ConnError): number {
  switch (err.code) {
    case 'not-found':
      return 3;
    case 'unavailable':
      return 4;
    case 'unauthenticated':
    case 'forbidden':
      return 5;
    case 'refused':
      return 6;
    default:
      return 1;
  }
}

export async function run(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are "errors" to commander; they already printed.
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.help' || err.code === 'commander.version' ? 0 : 2;
    }
    if (err instanceof ConnError) {
      process.stderr.write(`conn: ${err.message}\n`);
      return exitCodeFor(err);
    }
    if (process.env['CONN_DEBUG']) console.error(err);
    process.stderr.write(`conn: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
