import type pg from 'pg';

/**
 * Runs `fn` in one Postgres transaction on `client`: COMMIT when it returns, ROLLBACK when it
 * throws (the error is the caller's; a failed rollback must not hide it). Every hub write on
 * Postgres goes through here, so none can leave a transaction open on a pooled connection.
 */
export async function inPgTransaction<T>(client: pg.ClientBase, fn: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const out = await fn();
    await client.query('COMMIT');
    return out;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** A pooled connection for one transaction, released whatever happens. */
export async function withPgTransaction<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  try {
    return await inPgTransaction(c, () => fn(c));
  } finally {
    c.release();
  }
}
