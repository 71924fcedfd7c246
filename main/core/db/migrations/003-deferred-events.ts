import type { Migration } from './migration.js';

/*
 * Pulled events this Conn could not parse (a kind written by a newer Conn, most likely). The
 * cursor still moves past them so sync never stalls, and they wait here, raw, until an upgraded
 * Conn can read them: the sync engine re-tries them when it starts and after each pull, and
 * ingests and deletes them in one transaction. `seq` is the hub's sequence number (the cursor
 * resets, and this table empties, whenever the hub or team changes), so a page pulled twice
 * stores each event once. `body` is NULL when the event was not kept (too large ever to be
 * valid, or the table was over its budget); `error` then says why.
 */
export const deferredEvents: Migration = {
  version: 3,
  name: 'deferred-events',
  up(db) {
    db.exec(`
      CREATE TABLE deferred_events (
        seq INTEGER PRIMARY KEY,
        body TEXT,
        size INTEGER NOT NULL,
        error TEXT NOT NULL,
        received_at INTEGER NOT NULL
      );
    `);
  },
};
