import { readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { describeError } from '@streamkit/runtime';
import { SENSOR_METRIC_NAMES } from '@streamkit/schemas';
import { LAKE_TABLES, type LakeTable, tableGlob } from '../lake/paths.ts';
import { alertColumnsSql, rawColumnsSql, windowColumnsSql } from '../lake/table-schemas.ts';
import { QueryFailedError, QueryTimeoutError } from './errors.ts';
import { checkQuery } from './sql-guard.ts';

export type Row = Record<string, unknown>;

export interface QueryLimits {
  readonly maxRows: number;
  readonly timeoutMs: number;
}

export interface LakeDatabase {
  /** A trusted query of ours (parameters bound, never user SQL). */
  query(sql: string, params?: Record<string, string | number>): Promise<Row[]>;
  /** A user's query: checked by the SQL guard, then run with the row and time limits. */
  userQuery(sql: string, limits: QueryLimits): Promise<{ rows: Row[]; truncated: boolean }>;
  close(): void;
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
  options: { memoryLimit?: string } = {},
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
  // queries share one connection at a time: DuckDB runs them in order, the views stay consistent
  let queue: Promise<unknown> = Promise.resolve();
  function serial<T>(work: () => Promise<T>): Promise<T> {
    const next = queue.then(work);
    queue = next.catch(() => undefined);
    return next;
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

  return {
    query: (sql, params) =>
      serial(async () => {
        await refreshViews();
        return run(admin, sql, params);
      }),
    userQuery: (sql, limits) =>
      serial(async () => {
        await checkQuery(sql, async (text) => {
          const rows = await run(admin, 'SELECT json_serialize_sql($sql::VARCHAR) AS j', { sql: text });
          return String(rows[0]?.j);
        });
        await refreshViews();
        const connection = await instance.connect();
        let timedOut = false;
        const timer = setTimeout(() => {
          timedOut = true;
          connection.interrupt();
        }, limits.timeoutMs);
        try {
          // the guard proved `sql` is one SELECT: wrapped, it cannot be anything else
          const rows = await run(connection, `SELECT * FROM (${sql}) AS q LIMIT ${limits.maxRows + 1}`);
          return { rows: rows.slice(0, limits.maxRows), truncated: rows.length > limits.maxRows };
        } catch (error) {
          if (timedOut) throw new QueryTimeoutError(`query ran longer than ${limits.timeoutMs} ms`);
          throw error;
        } finally {
          clearTimeout(timer);
          connection.closeSync();
        }
      }),
    close() {
      admin.closeSync();
      instance.closeSync();
    },
  };
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
