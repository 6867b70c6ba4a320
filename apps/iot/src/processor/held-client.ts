import type { Pool, PoolClient } from 'pg';

export interface HeldClient {
  readonly client: PoolClient;
  /**
   * Aborted (with the connection's error) once the connection failed: its transaction and row
   * locks are gone, so another member may claim the partitions — write no further file.
   */
  readonly lost: AbortSignal;
}

/**
 * A client taken from the pool for a transaction that stays open across other work (a
 * micro-batch holds its rows locked while it writes Parquet). pg emits the failure of a checked-out
 * connection that has no query running (a PostgreSQL restart) as an 'error' event on the client,
 * and the pool listens only while the client is idle in it: without a listener the event kills
 * the process. The failure reaches the transaction as its next query's error, and `lost`.
 */
export async function connectHeld(pool: Pool): Promise<HeldClient> {
  const client = await pool.connect();
  const lost = new AbortController();
  const onError = (error: Error) => lost.abort(error);
  client.on('error', onError);
  const release = client.release.bind(client);
  client.release = (error?: Error | boolean) => {
    client.off('error', onError);
    release(error);
  };
  return { client, lost: lost.signal };
}
