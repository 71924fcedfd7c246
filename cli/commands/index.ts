import type { Command } from 'commander';
import * as hub from './hub.js';
import * as sync from './sync.js';
import * as profile from './profile.js';
import * as incidents from './incidents.js';
import * as entries from './entries.js';
import * as calls from './calls.js';
import * as timeline from './timeline.js';
import * as runbooks from './runbooks.js';
import * as web from './web.js';
import * as reports from './reports.js';
import * as refusals from './refusals.js';
import * as retro from './retro.js';
import * as search from './search.js';
import * as cadence from './cadence.js';
import * as recordings from './recordings.js';

/**
 * Every command module, in help order. A module exports one `register(program)` function;
 * add yours here with one line.
 */
export const COMMAND_MODULES: Array<(program: Command) => void> = [
  profile.register,
  incidents.register,
  entries.register,
  calls.register,
  recordings.register,
  timeline.register,
  reports.register,
  retro.register,
  search.register,
  runbooks.register,
  sync.register,
  cadence.register,
  refusals.register,
  hub.register,
  web.register,
];
