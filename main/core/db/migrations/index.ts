import type { Migration } from './migration.js';
import { initial } from './001-initial.js';
import { runbooks } from './002-runbooks.js';
import { deferredEvents } from './003-deferred-events.js';
import { refusals } from './004-refusals.js';
import { teammates } from './005-teammates.js';
import { search } from './006-search.js';
import { recordings } from './007-recordings.js';

/**
 * Every migration, in order; versions are 1, 2, 3... with no gaps. Add yours with one line.
 * 002 (runbooks) and 003 (sync) are reserved for their owners.
 */
export const MIGRATIONS: readonly Migration[] = [initial, runbooks, deferredEvents, refusals, teammates, search, recordings];

export const LATEST_VERSION = MIGRATIONS.length;
