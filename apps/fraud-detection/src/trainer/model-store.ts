import type { Pool } from 'pg';
import type { StoredModel } from '../domain/index.ts';

/** Inserts the model as active; the insert's NOTIFY (fraud_model_published) makes the detector reload. */
export async function publishModel(pool: Pool, model: StoredModel): Promise<void> {
  await pool.query(
    'insert into fraud_models (version, model, active, created_at) values ($1, $2, true, $3)',
    [model.version, JSON.stringify(model), model.createdAt],
  );
}

/** The row of the model the detector scores with: the newest active one (unchecked JSON). */
export async function readActiveModel(pool: Pool): Promise<{ version: string; model: unknown } | undefined> {
  const { rows } = await pool.query<{ version: string; model: unknown }>(
    `select version, model from fraud_models where active
     order by created_at desc, version desc limit 1`,
  );
  return rows[0];
}
