import { setTimeout as sleep } from 'node:timers/promises';
import type { QueryResult } from 'pg';

/** A pool or one of its clients: all a batched delete needs. */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<QueryResult>;
}

export interface BatchLimits {
  /** Rows per DELETE: each is its own short transaction, so writers never wait long on it. */
  readonly batchRows: number;
  /** DELETEs per call at most (default 1000); what is left goes at the next call. */
  readonly maxBatches?: number;
  /** Pause between two DELETEs (default 10 ms): a long prune leaves the disk and the WAL room to breathe. */
  readonly pauseMs?: number;
}

const DEFAULT_MAX_BATCHES = 1000;
const DEFAULT_PAUSE_MS = 10;

export interface RowsToDelete {
  /** A plain table name. */
  readonly table: string;
  /** Which rows: a condition over the table's columns, with `$1`… bound to `params`. */
  readonly where: string;
  readonly params?: readonly unknown[];
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Problems of batch limits (each a sentence naming the field); empty when they are usable. */
function batchLimitProblems(limits: BatchLimits): string[] {
  const problems: string[] = [];
  const { batchRows, maxBatches = DEFAULT_MAX_BATCHES, pauseMs = DEFAULT_PAUSE_MS } = limits;
  if (!Number.isInteger(batchRows) || batchRows < 1)
    problems.push(`batchRows must be a positive integer, got ${batchRows}`);
  if (!Number.isInteger(maxBatches) || maxBatches < 1)
    problems.push(`maxBatches must be a positive integer, got ${maxBatches}`);
  if (!Number.isFinite(pauseMs) || pauseMs < 0)
    problems.push(`pauseMs must be a number >= 0, got ${pauseMs}`);
  return problems;
}

/**
 * Deletes the rows matching `where`, `batchRows` at a time (by ctid, so any table works, with or
 * without a key), until a batch finds fewer rows than it may take, `maxBatches` ran or `signal`
 * aborted (checked before each batch: a shutdown waits for one short DELETE at most). Returns the
 * rows deleted. A row updated between a batch's select and its delete is skipped by that batch (its
 * ctid moved) and picked up by the next one.
 */
export async function deleteInBatches(
  db: Queryable,
  rows: RowsToDelete,
  limits: BatchLimits,
  signal?: AbortSignal,
): Promise<number> {
  if (!IDENTIFIER.test(rows.table))
    throw new Error(`table ${JSON.stringify(rows.table)} is not a plain identifier`);
  const problems = batchLimitProblems(limits);
  if (problems.length > 0) throw new RangeError(`batched delete from ${rows.table}: ${problems.join('; ')}`);
  const { batchRows, maxBatches = DEFAULT_MAX_BATCHES, pauseMs = DEFAULT_PAUSE_MS } = limits;
  const params = [...(rows.params ?? []), batchRows];
  // `= any(array(…))` makes the delete a TID scan; `picked` tells a short batch (the end) from
  // one that lost rows to concurrent updates (go on)
  const sql = `with picked as materialized (
       select ctid from ${rows.table} where ${rows.where} limit $${params.length}),
     gone as (delete from ${rows.table} where ctid = any(array(select ctid from picked)) returning 1)
     select (select count(*) from picked)::int as picked, (select count(*) from gone)::int as deleted`;
  let deleted = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    if (batch > 0 && pauseMs > 0) await sleep(pauseMs);
    if (signal?.aborted) break;
    const counts = (await db.query(sql, params)).rows[0] as { picked: number; deleted: number };
    deleted += counts.deleted;
    if (counts.picked < batchRows) break;
  }
  return deleted;
}
