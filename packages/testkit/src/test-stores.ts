import { Redis } from 'ioredis';
import type { Infrastructure } from './components.ts';
import { deleteKeysWithPrefix } from './delete-keys.ts';
import { createKafkaTestAdmin, type KafkaTestAdmin } from './kafka-test-admin.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

export interface TestStoresOptions<Pool> {
  /** The new database's name starts with it (`createTestDatabase`). */
  readonly databasePrefix: string;
  /**
   * Opens the app's pool on the new database and prepares it (migrations, seed data); without it
   * the stores have no pool (a service under test migrates the database itself).
   */
  readonly openPool?: (databaseUrl: string) => Promise<Pool>;
  /** The test's Redis keys: close() deletes every key that starts with it. */
  readonly keyPrefix: string;
  /** The test's topics: close() deletes them. */
  readonly topics: readonly string[];
}

/** A test file's own stores: a database with a pool on it, Redis and a Kafka admin. */
export interface TestStores<Pool> {
  readonly db: TestDatabase;
  readonly pool: Pool;
  readonly redis: Redis;
  readonly admin: KafkaTestAdmin;
  /** Deletes the test's topics and keys, closes the connections and drops the database. */
  close(): Promise<void>;
}

/**
 * Opens a test file's isolated PostgreSQL database, Redis connection and Kafka admin on the shared
 * infrastructure; close() leaves nothing of the test behind.
 */
export async function openTestStores<Pool extends { end(): Promise<void> } | undefined = undefined>(
  infra: Pick<Infrastructure, 'databaseUrl' | 'redisUrl' | 'kafkaBrokers'>,
  options: TestStoresOptions<Pool>,
): Promise<TestStores<Pool>> {
  const db = await createTestDatabase(infra.databaseUrl, options.databasePrefix);
  const pool = (await options.openPool?.(db.url)) as Pool;
  const redis = new Redis(infra.redisUrl);
  const admin = await createKafkaTestAdmin(infra.kafkaBrokers);
  return {
    db,
    pool,
    redis,
    admin,
    async close() {
      await admin.deleteTopics(options.topics).catch(() => undefined);
      await admin.disconnect();
      await deleteKeysWithPrefix(redis, options.keyPrefix);
      redis.disconnect();
      await pool?.end();
      await db.drop();
    },
  };
}
