import pg from 'pg';
import { uniqueName } from './unique-name.ts';

export interface TestDatabase {
  /** The database's name (also the last path segment of `url`). */
  readonly name: string;
  /** `databaseUrl` with its database replaced by the new one. */
  readonly url: string;
  /** Drops the database, closing any connections still open to it. Idempotent. */
  drop(): Promise<void>;
}

/**
 * Creates a fresh, empty PostgreSQL database named `uniqueName(prefix)` on the server of
 * `databaseUrl` (whose user needs CREATEDB), so a test file owns its schema outright.
 */
export async function createTestDatabase(databaseUrl: string, prefix: string): Promise<TestDatabase> {
  const name = uniqueName(prefix);
  await withClient(databaseUrl, (client) => client.query(`create database ${quoteIdent(name)}`));
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  let dropped: Promise<void> | undefined;
  return {
    name,
    url: url.toString(),
    drop() {
      dropped ??= withClient(databaseUrl, async (client) => {
        await client.query(`drop database if exists ${quoteIdent(name)} with (force)`);
      });
      return dropped;
    },
  };
}

async function withClient<T>(databaseUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
