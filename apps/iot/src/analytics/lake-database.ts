import { readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { describeError } from '@streamkit/runtime';
import { SENSOR_METRIC_NAMES } from '@streamkit/schemas';
import { LAKE_TABLES, type LakeTable, tableGlob } from '../lake/paths.ts';
import { alertColumnsSql, rawColumnsSql, windowColumnsSql } from '../lake/table-schemas.ts';
import { type Row, readCapped } from './capped-result.ts';
import { QueryFailedError, QueryTimeoutError, ResultTooLargeError } from './errors.ts';
import { createQueryScheduler, type QueryTicket, type SchedulerLimits } from './query-scheduler.ts';
import { checkQuery } from './sql-guard.ts';

export type { Row } from './capped-result.ts';
export type { QueryTicket } from './query-scheduler.ts';

/** What bounds a user's SQL query: rows and bytes of the result, time from asking to answer. */
export interface QueryLimits {
  readonly maxRows: number;
  readonly maxBytes: number;
  readonly timeoutMs: number;
}

export interface LakeDatabase {
  /**
   * A trusted query of ours (parameters bound, never user SQL), within the ticket's time; without
   * a ticket, the default time limit and no client (the service's own checks).
   */
  query(sql: string, params?: Record<string, string | number>, ticket?: QueryTicket): Promise<Row[]>;
  /** A user's query: checked by the SQL guard, then run within the row, byte and time limits. */
  userQuery(sql: string, limits: QueryLimits, client?: string): Promise<{ rows: Row[]; truncated: boolean }>;
  /** Queries admitted and not yet answered. */
  readonly inFlight: number;
  close(): void;
}

export interface LakeDatabaseOptions {
  readonly memoryLimit?: string;
  /** The bounds on queries in flight (defaults: 16 in all, 4 per client). */
  readonly scheduler?: SchedulerLimits;
  /** The time limit of a trusted query asked without a ticket (default 10 s). */
  readonly defaultTimeoutMs?: number;
}

const COLUMNS: Record<LakeTable, string> = {
  raw: rawColumnsSql,
  windows: windowColumnsSql,
  alerts: alertColumnsSql,
};

/** How each view presents its table: epoch-ms columns become TIMESTAMPs. */
const PROJECTION: Record<LakeTable, string> = {
  raw: `device_id, make_timestamp(ts_ms * 1000) AS ts, seq, ${SENSOR_METRIC_NAMES.join(', ')}, late, kafka_partition, kafka_offset`,
  windows: `device_id, make_timestamp(window_start_ms * 1000) AS window_start, make_timestamp(window_end_ms * 1000) AS window_end, reading_count, ${SENSOR_METRIC_NAMES.flatMap((m) => [`${m}_min`, `${m}_max`, `${m}_mean`, `${m}_p95`]).join(', ')}`,
  alerts:
    'alert_id, device_id, make_timestamp(ts_ms * 1000) AS ts, kind, metric, value, threshold, z_score, message',
};

/**
 * An in-memory DuckDB whose only data are views over the lake's Parquet files. File access is
 * limited to the lake directory and the configuration locked, so nothing a query does can write
 * anywhere or read outside the lake; user SQL additionally passes the SQL guard.
 */
export async function openLakeDatabase(
  lakeDir: string,
  options: LakeDatabaseOptions = {},
): Promise<LakeDatabase> {
  const root = `${resolve(lakeDir)}/`;
  const instance = await DuckDBInstance.create(':memory:', {
    threads: '2',
    memory_limit: options.memoryLimit ?? '512MB',
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const admin = await instance.connect();
  await admin.run(`SET allowed_directories = ['${root.replaceAll("'", "''")}']`);
  await admin.run('SET enable_external_access = false');
  await admin.run('SET lock_configuration = true');
  // a view over an empty glob fails: until a table has files its view is an empty typed relation
  const present = new Map<LakeTable, boolean>();

  async function refreshViews(): Promise<void> {
    for (const table of LAKE_TABLES) {
      const has = await hasFiles(root, table);
      if (present.get(table) === has) continue;
      const source = has
        ? `read_parquet('${tableGlob(root, table)}', hive_partitioning = true, union_by_name = true)`
        : `(SELECT * FROM (SELECT ${emptyRow(COLUMNS[table])}) WHERE false)`;
      await admin.run(`CREATE OR REPLACE VIEW ${table} AS SELECT ${PROJECTION[table]} FROM ${source}`);
      present.set(table, has);
    }
  }
  const scheduler = createQueryScheduler(options.scheduler ?? { maxInFlight: 16, maxPerClient: 4 });
  const defaultTicket: QueryTicket = { timeoutMs: options.defaultTimeoutMs ?? 10_000 };

  /** Runs `read` on a connection of its own, interrupted when `remainingMs` is up. */
  async function bounded<T>(
    remainingMs: number,
    limitMs: number,
    read: (connection: DuckDBConnection) => Promise<T>,
  ): Promise<T> {
    await refreshViews();
    const connection = await instance.connect();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      connection.interrupt();
    }, remainingMs);
    try {
      return await read(connection);
    } catch (error) {
      if (timedOut) throw new QueryTimeoutError(`query took longer than ${limitMs} ms`);
      if (error instanceof ResultTooLargeError) throw error;
      throw new QueryFailedError(describeError(error), { cause: error });
    } finally {
      clearTimeout(timer);
      connection.closeSync();
    }
  }

  return {
    get inFlight() {
      return scheduler.inFlight;
    },
    query: (sql, params, ticket = defaultTicket) =>
      scheduler.run(ticket, (remainingMs) =>
        bounded(remainingMs, ticket.timeoutMs, async (connection) => {
          const result = await connection.runAndReadAll(sql, params);
          return result.getRowObjectsJson() as Row[];
        }),
      ),
    userQuery: (sql, limits, client) =>
      scheduler.run({ client, timeoutMs: limits.timeoutMs }, async (remainingMs) => {
        await checkQuery(sql, async (text) => {
          const rows = await run(admin, 'SELECT json_serialize_sql($sql::VARCHAR) AS j', { sql: text });
          return String(rows[0]?.j);
        });
        return bounded(remainingMs, limits.timeoutMs, (connection) => readCapped(connection, sql, limits));
      }),
    close() {
      admin.closeSync();
      instance.closeSync();
    },
  };
}

async function run(
  connection: DuckDBConnection,
  sql: string,
  params?: Record<string, string | number>,
): Promise<Row[]> {
  try {
    const result = await connection.runAndReadAll(sql, params);
    return result.getRowObjectsJson() as Row[];
  } catch (error) {
    throw new QueryFailedError(describeError(error), { cause: error });
  }
}

function emptyRow(columnsSql: string): string {
  return columnsSql
    .split(', ')
    .map((c) => {
      const [name, type] = c.split(' ');
      return `NULL::${type} AS ${name}`;
    })
    .join(', ');
}

async function hasFiles(root: string, table: LakeTable): Promise<boolean> {
  try {
    for (const date of await readdir(`${root}${table}`)) {
      for (const hour of await readdir(`${root}${table}/${date}`)) {
        if ((await readdir(`${root}${table}/${date}/${hour}`)).some((f) => f.endsWith('.parquet')))
          return true;
      }
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return false;
}
