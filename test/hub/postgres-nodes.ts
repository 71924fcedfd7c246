import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { createHub, type Hub } from '../../server/hub/hub.js';
import { dropPostgresSchema, openPostgresStore } from '../../server/store/postgres.js';
import type { HubStore } from '../../server/store/store.js';

/*
 * Two hub nodes on different ports sharing one Postgres (the store and sequencer) and one Redis
 * (the socket.io Streams adapter). Each call uses its own schema and stream, and `dispose`
 * removes them.
 */

export const PG = process.env['CONN_TEST_POSTGRES'] ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS = process.env['CONN_TEST_REDIS'] ?? 'redis://127.0.0.1:6379';

export interface TwoNodes {
  nodeA: Hub;
  nodeB: Hub;
  storeA: HubStore;
  storeB: HubStore;
  dispose(): Promise<void>;
}

export async function twoPostgresNodes(prefix: string): Promise<TwoNodes> {
  const run = randomBytes(4).toString('hex');
  const schema = `${prefix.replace(/-/g, '_')}_${run}`;
  const streamName = `${prefix}-${run}`;
  const [storeA, storeB] = await Promise.all([openPostgresStore({ url: PG, schema }), openPostgresStore({ url: PG, schema })]);
  const nodeA = await createHub({ store: storeA, redis: { url: REDIS, streamName } });
  const nodeB = await createHub({ store: storeB, redis: { url: REDIS, streamName } });
  return {
    nodeA,
    nodeB,
    storeA,
    storeB,
    async dispose() {
      await nodeA.close();
      await nodeB.close();
      await dropPostgresSchema(PG, schema);
      const r = createClient({ url: REDIS });
      await r.connect();
      await r.del(streamName);
      await r.quit();
    },
  };
}
