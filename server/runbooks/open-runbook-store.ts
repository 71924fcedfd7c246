import { openPostgresRunbookStore, openSqliteRunbookStore, type HubRunbookStore } from './runbook-store.js';

/** The runbook store beside whichever event store the hub runs: same file, or same schema. */
export async function openRunbookStoreFor(kind: 'sqlite' | 'postgres', dataDir: string, pg: { url?: string | undefined; schema: string }): Promise<HubRunbookStore> {
  if (kind === 'postgres' && pg.url) return openPostgresRunbookStore({ url: pg.url, schema: pg.schema });
  return openSqliteRunbookStore(dataDir);
}
