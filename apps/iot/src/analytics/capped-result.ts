import { type DuckDBConnection, JsonDuckDBValueConverter } from '@duckdb/node-api';
import { ResultTooLargeError } from './errors.ts';

export type Row = Record<string, unknown>;

export interface ResultCaps {
  readonly maxRows: number;
  readonly maxBytes: number;
}

/**
 * Runs a user SELECT (already checked by the SQL guard) and reads at most `maxRows` rows and
 * `maxBytes` bytes of them. DuckDB measures each row next to it — its values as text
 * (`strlen(CAST(v AS VARCHAR))`, O(1) for strings) plus its JSON keys — and chunks are streamed:
 * the sizes of a chunk are read before any of its values, so a row larger than the cap
 * (`SELECT repeat('x', 150000000)`) is refused without ever reaching the JS heap.
 */
export async function readCapped(
  connection: DuckDBConnection,
  sql: string,
  caps: ResultCaps,
): Promise<{ rows: Row[]; truncated: boolean }> {
  // the guard proved `sql` is one SELECT: wrapped, it cannot be anything else (the line break
  // ends a trailing -- comment before the closing parenthesis)
  // COLUMNS(*) expands to one size per column: the result is the n values, then their n sizes
  const result = await connection.stream(
    `SELECT *, coalesce(strlen(CAST(COLUMNS(*) AS VARCHAR)), 4) FROM (${sql}
) AS q LIMIT ${caps.maxRows + 1}`,
  );
  const width = result.columnCount / 2;
  const names = result.columnNames().slice(0, width);
  // each value's key, quotes, colon and comma in the JSON answer
  const keysBytes = names.reduce((sum, name) => sum + Buffer.byteLength(name) + 4, 2);
  const rows: Row[] = [];
  let bytes = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (chunk === null || chunk.rowCount === 0) break;
    const sizes = Array.from({ length: width }, (_, c) => chunk.getColumnValues(width + c));
    // a row past maxRows only tells that there are more: never read, never counted
    const take = Math.min(chunk.rowCount, caps.maxRows - rows.length);
    for (let i = 0; i < take; i++) {
      for (const column of sizes) bytes += Number(column[i] ?? 0);
      bytes += keysBytes;
      if (bytes > caps.maxBytes)
        throw new ResultTooLargeError(
          `the result is larger than ${caps.maxBytes} bytes: select fewer columns or rows, or aggregate`,
        );
    }
    for (let i = 0; i < take; i++) {
      const values = chunk.convertRowValues(i, JsonDuckDBValueConverter);
      const row: Row = {};
      names.forEach((name, c) => {
        row[name] = values[c];
      });
      rows.push(row);
    }
    if (chunk.rowCount > take) return { rows, truncated: true };
  }
  return { rows, truncated: false };
}
