import type { Migration } from './migration.js';
import { initial } from './001-initial.js';
import { runbooks } from './002-runbooks.js';
import { deferredEvents } from './003-deferred-events.js';
import { refusals } from './004-refusals.js';
import { teammates } from './005-teammates.js';
import { search } from './009-search.js';

/**
 * Every migration, in order; versions are 1, 2, 3... with no gaps. Add yours with one line.
 * 002 (runbooks) and 003 (sync) are reserved for their owners.
 */
/**
 * 006 to 008 are reserved for branches not merged into this one yet. These stand-ins keep 009 at
 * its number; on merge, each is replaced by the real migration (a database a build of this
 * branch alone took to 9 would skip the real ones: never ship it).
 */
const reservedUntilMerged = (version: number): Migration => ({ version, name: `reserved-${version}`, up() {} });

export const MIGRATIONS: readonly Migration[] = [initial, runbooks, deferredEvents, refusals, teammates, reservedUntilMerged(6), reservedUntilMerged(7), reservedUntilMerged(8), search];

export const LATEST_VERSION = MIGRATIONS.length;
