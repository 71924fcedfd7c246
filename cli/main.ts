import { run } from './program.js';

// A reader that stops early (`conn timeline X | head`) closes the pipe: that is not an error,
// and the command has already done its work, so leave quietly the way Unix tools do.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

// Set exitCode rather than exit(): lets stdout drain when piped into `jq`.
const code = await run(process.argv.slice(2));
// A command that succeeded may still have set one: `conn retro --check` exits 1 on findings.
process.exitCode = code === 0 ? (process.exitCode ?? 0) : code;
