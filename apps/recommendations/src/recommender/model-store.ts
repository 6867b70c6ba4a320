import type { Pool } from 'pg';
import { type ScoringModel, validateModel } from '../domain/model.ts';
import type { OfflineEvaluation } from '../domain/offline-evaluation.ts';

export interface StoredModel {
  model: ScoringModel;
  createdAt: Date;
  /** Its offline evaluation on the held-out period, as the trainer stored it. */
  evaluation: OfflineEvaluation;
}

/** The newest model version, or undefined before the first training. */
export async function latestModel(pool: Pool): Promise<StoredModel | undefined> {
  const { rows } = await pool.query<{ model: ScoringModel; created_at: Date; evaluation: OfflineEvaluation }>(
    `SELECT model, created_at, evaluation FROM recs_models ORDER BY created_at DESC, version DESC LIMIT 1`,
  );
  const row = rows[0];
  return row === undefined
    ? undefined
    : { model: validateModel(row.model), createdAt: row.created_at, evaluation: row.evaluation };
}

export interface TrainedOn {
  events: number;
  examples: number;
  fromTs: string;
  toTs: string;
  splitTs: string;
}

/** Stores a model version with its offline evaluation and its item similarity (top-K per item). */
export async function saveModel(
  pool: Pool,
  model: ScoringModel,
  evaluation: OfflineEvaluation,
  trainedOn: TrainedOn,
  similarity: ReadonlyMap<string, ReadonlyMap<string, number>>,
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO recs_models (version, model, evaluation, trained_on) VALUES ($1, $2, $3, $4)`,
      [
        model.version,
        JSON.stringify(validateModel(model)),
        JSON.stringify(evaluation),
        JSON.stringify(trainedOn),
      ],
    );
    const items: string[] = [];
    const neighbours: string[] = [];
    const values: number[] = [];
    for (const [item, row] of similarity) {
      for (const [n, v] of row) {
        items.push(item);
        neighbours.push(n);
        values.push(v);
      }
    }
    await client.query(
      `INSERT INTO recs_item_similarity (model_version, product_id, neighbour_id, similarity)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::float8[])`,
      [model.version, items, neighbours, values],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
