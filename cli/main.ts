import { run } from './program.js';

// Set exitCode rather than exit(): lets stdout drain when piped into `jq`.
const code = await run(process.argv.slice(2));
process.exitCode = code;
