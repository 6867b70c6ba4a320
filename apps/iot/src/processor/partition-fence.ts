import type { Pool, PoolClient } from 'pg';
import { connectHeld } from './held-client.ts';

/**
 * A micro-batch touched a partition another member claimed since this one did (the group moved
 * it): nothing of the batch was written. Retriable: the retry claims the partition again if this
 * member still gets its records, and the consumer gives the run up once its partition is revoked.
 */
export class PartitionFencedError extends Error {
  override readonly name = 'PartitionFencedError';
  readonly retriable = true;
  readonly partitions: readonly number[];
  constructor(topic: string, partitions: readonly number[]) {
    super(`${topic} partitions ${partitions.join(',')} were claimed by another member`);
    this.partitions = partitions;
  }
}

/** Longest a batch or a claim waits for the row lock of a partition whose batch is in flight elsewhere. */
const LOCK_TIMEOUT = `set local lock_timeout = '15s'`;

/** Locks the partitions' progress rows (created at offset 0 when new), in partition order (no deadlock between members). */
export async function lockProgressRows(
  client: PoolClient,
  topic: string,
  partitions: readonly number[],
): Promise<Map<number, { nextOffset: bigint; epoch: bigint }>> {
  await client.query(LOCK_TIMEOUT);
  await client.query(
    `INSERT INTO iot_lake_progress (topic, kafka_partition, next_offset)
     SELECT $1, p, 0 FROM unnest($2::int[]) AS t(p) ON CONFLICT DO NOTHING`,
    [topic, partitions],
  );
  const result = await client.query<{ kafka_partition: number; next_offset: string; owner_epoch: string }>(
    `SELECT kafka_partition, next_offset, owner_epoch FROM iot_lake_progress
     WHERE topic = $1 AND kafka_partition = ANY($2::int[]) ORDER BY kafka_partition FOR UPDATE`,
    [topic, partitions],
  );
  return new Map(
    result.rows.map((r) => [
      r.kafka_partition,
      { nextOffset: BigInt(r.next_offset), epoch: BigInt(r.owner_epoch) },
    ]),
  );
}

/**
 * Takes the partitions for this member: bumps each one's epoch and, still holding the row locks
 * (so no other member's batch of them is in flight), runs `cleanup(partition, nextOffset)` — the
 * removal of files written but never checkpointed. Commits before this member writes anything,
 * so a crash later still leaves the bumped epoch behind for the next owner to see. Returns the
 * claimed epochs.
 */
export async function claimPartitions(
  pool: Pool,
  topic: string,
  partitions: readonly number[],
  cleanup: (partition: number, nextOffset: bigint) => Promise<void>,
): Promise<Map<number, bigint>> {
  const { client } = await connectHeld(pool);
  try {
    await client.query('BEGIN');
    const rows = await lockProgressRows(client, topic, partitions);
    await client.query(
      `UPDATE iot_lake_progress SET owner_epoch = owner_epoch + 1, updated_at = now()
       WHERE topic = $1 AND kafka_partition = ANY($2::int[])`,
      [topic, partitions],
    );
    const epochs = new Map<number, bigint>();
    for (const p of partitions) {
      const row = rows.get(p) ?? { nextOffset: 0n, epoch: 0n };
      await cleanup(p, row.nextOffset);
      epochs.set(p, row.epoch + 1n);
    }
    await client.query('COMMIT');
    return epochs;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
