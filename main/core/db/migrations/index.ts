import type { Migration } from './migration.js';
import { initial } from './001-initial.js';
import { runbooks } from './002-runbooks.js';
import { deferredEvents } from './003-deferred-events.js';
import { refusals } from './004-refusals.js';
import { teammates } from './005-teammates.js';
import { search } from './006-search.js';
import { recordings } from './007-recordings.js';
import { teamSettings } from './008-team-settings.js';
import { searchBatched } from './009-search-batched.js';

/**
 * Every migration, in order; versions are 1, 2, 3... with no gaps but RESERVED_VERSIONS. Add
 * yours with one line.
 */
export const MIGRATIONS: readonly Migration[] = [initial, runbooks, deferredEvents, refusals, teammates, search, recordings, teamSettings, searchBatched];

/**
 * Versions held for migrations being written on other branches, numbered below one already in
 * this list (none today). They must land before a release: a database migrated past a gap never
 * runs what later fills it. Empty this list when they have; the migration tests then check
 * that no gap is left.
 */
export const RESERVED_VERSIONS: readonly number[] = [];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
