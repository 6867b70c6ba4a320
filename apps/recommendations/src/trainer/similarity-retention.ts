import { deleteInBatches } from '@streamkit/postgres';
import type { Pool } from 'pg';

/**
 * Deletes the item similarity of every model version but the newest `keepVersions` (by creation
 * time, as the recommender picks its model). Run by the trainer after it stores a version: the
 * family only grows then. The versions' rows in recs_models stay (one small row each: what was
 * trained when, and how it evaluated). Returns the rows deleted.
 */
export async function pruneSimilarity(
  pool: Pool,
  settings: { readonly keepVersions: number; readonly batchRows: number },
  signal?: AbortSignal,
): Promise<number> {
  if (!Number.isInteger(settings.keepVersions) || settings.keepVersions < 1)
    throw new RangeError(`keepVersions must be an integer >= 1, got ${settings.keepVersions}`);
  return deleteInBatches(
    pool,
    {
      table: 'recs_item_similarity',
      where: `model_version IN (SELECT version FROM recs_models ORDER BY created_at DESC, version DESC OFFSET $1)`,
      params: [settings.keepVersions],
    },
    { batchRows: settings.batchRows },
    signal,
  );
}
