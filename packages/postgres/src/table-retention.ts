import { type BatchLimits, deleteInBatches, type Queryable } from './batched-delete.ts';

/** One family of rows that expire by a timestamp column. */
export interface TableRetention {
  /** Names the family in metrics and logs, e.g. `fraud_alerts`. */
  readonly family: string;
  readonly table: string;
  /** The timestamptz column a row's age is read from (index it: each batch selects by it). */
  readonly column: string;
  /** Rows whose `column` is older than this, behind the reference time, are deleted. */
  readonly retentionMs: number;
  /** Rows that must stay whatever their age (e.g. `status <> 'pending'`), as an SQL condition. */
  readonly onlyWhere?: string;
}

/** Problems of retention families (each a sentence naming the family); empty when usable. */
function tableRetentionProblems(families: readonly TableRetention[]): string[] {
  return families
    .filter((f) => !Number.isSafeInteger(f.retentionMs) || f.retentionMs < 0)
    .map((f) => `${f.family}: retentionMs must be an integer >= 0, got ${f.retentionMs}`);
}

export interface PruneOptions {
  readonly limits: BatchLimits;
  /** The reference time (default: the wall clock at the call). */
  readonly nowMs?: number;
  /** Stops between batches (a shutdown); what is left goes at the next prune. */
  readonly signal?: AbortSignal;
}

/**
 * Deletes each family's rows older than its retention, in batches (deleteInBatches), and returns
 * the rows deleted per family. The reference time is the wall clock unless given: never the newest
 * time in the data, where one record dated 2099 would expire everything else.
 */
export async function pruneTables(
  db: Queryable,
  families: readonly TableRetention[],
  { limits, nowMs = Date.now(), signal }: PruneOptions,
): Promise<Record<string, number>> {
  const problems = tableRetentionProblems(families);
  if (problems.length > 0) throw new RangeError(`table retention: ${problems.join('; ')}`);
  const deleted: Record<string, number> = {};
  for (const family of families) {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(family.column))
      throw new Error(`${family.family}: column ${JSON.stringify(family.column)} is not a plain identifier`);
    const only = family.onlyWhere === undefined ? '' : ` and (${family.onlyWhere})`;
    deleted[family.family] = await deleteInBatches(
      db,
      {
        table: family.table,
        where: `${family.column} < $1${only}`,
        params: [new Date(nowMs - family.retentionMs)],
      },
      limits,
      signal,
    );
  }
  return deleted;
}
