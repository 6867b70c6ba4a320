import { VIEWS, type ViewName } from '../views/catalog.ts';

/** A view row as the API serves it: timestamps as ISO strings, counts and figures as numbers. */
export type ViewRow = Record<string, string | number | null>;

export interface ViewQuery {
  /** Windows starting at or after this instant. */
  readonly from?: Date;
  /** Windows starting before this instant. */
  readonly to?: Date;
  /** The latest this many windows of the range (rows of one window are never split). */
  readonly limit: number;
}

export interface ViewResult {
  readonly view: ViewName;
  readonly columns: readonly { readonly name: string; readonly kind: string }[];
  /** Oldest window first. */
  readonly rows: readonly ViewRow[];
}

/** Anything that runs a parameterised query: a pg Pool or Client on any of the three engines. */
export interface Queryable {
  query<R extends Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

export interface ViewReader {
  read(name: ViewName, query: ViewQuery): Promise<ViewResult>;
}

// within a window: a stable order for the views with several rows per window
const ROW_ORDER: Readonly<Record<ViewName, string>> = {
  requests_per_second: '',
  requests_per_10s: '',
  status_per_minute: ', status_class',
  error_rate_per_minute: '',
  latency_per_route_per_minute: ', route',
  top_paths_5m: ', rank',
  unique_clients_per_minute: '',
};

/**
 * Reads the views by name from whichever engine holds them (same names and columns on PostgreSQL,
 * RisingWave and Materialize). Only names of the catalog reach SQL; values are parameters.
 */
export function createViewReader(db: Queryable): ViewReader {
  return {
    async read(name, query) {
      const view = VIEWS[name];
      const columns = view.columns.map((c) => c.name).join(', ');
      // Only the bounds given become predicates, and the outer query repeats them: plain
      // `window_start >= $n` is pushed into the views' window functions (and the rollups' index);
      // `$n is null or …` was not, and every read computed the whole view (7 s instead of 0.7 s on
      // latency_per_route_per_minute after a 20 000 lines/s burst).
      const params: unknown[] = [];
      const bounds: string[] = [];
      if (query.from !== undefined) bounds.push(`window_start >= $${params.push(query.from)}`);
      if (query.to !== undefined) bounds.push(`window_start < $${params.push(query.to)}`);
      const limitParam = `$${params.push(query.limit)}`;
      const inRange = bounds.length > 0 ? bounds.join(' and ') : 'true';
      // The range is computed once (a CTE named twice is materialized on PostgreSQL): naming the
      // view twice computed latency_per_route_per_minute's percentiles twice per read, which
      // `pnpm loadgen dashboard` does every 25 ms.
      const sql = `
        with in_range as (select ${columns} from ${name} where ${inRange})
        select ${columns} from in_range
        where window_start in (
          select distinct window_start from in_range
          order by window_start desc limit ${limitParam})
        order by window_start${ROW_ORDER[name]}`;
      const result = await db.query(sql, params);
      const rows = result.rows.map((raw) => {
        const row: ViewRow = {};
        for (const column of view.columns) {
          const value = raw[column.name];
          row[column.name] =
            value === null || value === undefined
              ? null
              : column.kind === 'timestamp'
                ? (value as Date).toISOString()
                : column.kind === 'text'
                  ? String(value)
                  : Number(value);
        }
        return row;
      });
      return { view: name, columns: view.columns, rows };
    },
  };
}
