import { QueryRejectedError } from './errors.ts';

/** The views a user query may read. */
export const QUERYABLE_VIEWS = ['raw', 'windows', 'alerts'] as const;

const MAX_SQL_LENGTH = 10_000;
/** Scalar functions that reach outside the query's data, whatever the file-access settings say. */
const FORBIDDEN_FUNCTION =
  /^(read_|glob$|getenv$|current_setting$|sniff_csv$|parquet_|icu_|duckdb_|pragma_|query$|query_table$)/i;

/**
 * Checks a user query before it runs: exactly one SELECT statement (DuckDB's own parser decides,
 * through json_serialize_sql, which only serialises SELECTs), reading only the lake's views and
 * its own CTEs — no table functions (read_csv, glob, …), no other tables, no schema-qualified names.
 * `serialize` runs json_serialize_sql on a connection; it is passed in so this module stays pure.
 */
export async function checkQuery(sql: string, serialize: (sql: string) => Promise<string>): Promise<void> {
  if (sql.trim() === '') throw new QueryRejectedError('query is empty');
  if (sql.length > MAX_SQL_LENGTH)
    throw new QueryRejectedError(`query is longer than ${MAX_SQL_LENGTH} characters`);
  const parsed = JSON.parse(await serialize(sql)) as {
    error: boolean;
    error_message?: string;
    statements?: unknown[];
  };
  if (parsed.error)
    throw new QueryRejectedError(
      `only a single SELECT is allowed (${parsed.error_message ?? 'not a SELECT'})`,
    );
  if (parsed.statements?.length !== 1) throw new QueryRejectedError('only a single statement is allowed');
  checkNode(parsed.statements[0], new Set());
}

/**
 * Walks the parse tree with the CTE names in scope, as DuckDB binds them: a node's CTEs are visible
 * in that node and below it, never in a sibling or parent — `(WITH duckdb_settings AS (…) …),
 * duckdb_settings` must not whitelist the second, DuckDB's catalog view. A CTE's own body sees only
 * the CTEs declared before it (a non-recursive CTE naming itself means the catalog's table); a
 * RECURSIVE_CTE_NODE sees its own name.
 */
function checkNode(value: unknown, ctes: ReadonlySet<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) checkNode(item, ctes);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const node = value as Record<string, unknown>;
  let scope = new Set(ctes);
  if (node.type === 'RECURSIVE_CTE_NODE') scope.add(String(node.cte_name ?? '').toLowerCase());
  checkOne(node, scope);
  const declared = (node.cte_map as { map?: { key: string; value: unknown }[] } | undefined)?.map ?? [];
  for (const entry of declared) {
    checkNode(entry.value, scope);
    scope = new Set([...scope, entry.key.toLowerCase()]);
  }
  for (const [key, child] of Object.entries(node)) if (key !== 'cte_map') checkNode(child, scope);
}

function checkOne(node: Record<string, unknown>, ctes: ReadonlySet<string>): void {
  if (node.type === 'TABLE_FUNCTION')
    throw new QueryRejectedError('table functions are not allowed: query the views raw, windows, alerts');
  if (node.type === 'BASE_TABLE') {
    const table = String(node.table_name ?? '').toLowerCase();
    if (node.schema_name || node.catalog_name)
      throw new QueryRejectedError(`qualified table names are not allowed: ${table}`);
    if (!(QUERYABLE_VIEWS as readonly string[]).includes(table) && !ctes.has(table)) {
      throw new QueryRejectedError(`unknown table "${table}": query the views ${QUERYABLE_VIEWS.join(', ')}`);
    }
  }
  if (node.class === 'FUNCTION' && FORBIDDEN_FUNCTION.test(String(node.function_name ?? ''))) {
    throw new QueryRejectedError(`function ${String(node.function_name)} is not allowed`);
  }
}
