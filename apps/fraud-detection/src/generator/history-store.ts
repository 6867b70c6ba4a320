/**
 * fraud_payment_history: the generator writes labelled payments (batched multi-row inserts via
 * unnest, `on conflict do nothing`, so a re-run is idempotent); the trainer reads them in event-time
 * order with a cursor-like keyset scan (bounded memory per page).
 */
import type { Payment } from '@streamkit/schemas';
import type { Pool } from 'pg';
import type { LabelledPayment, ScenarioName } from './draft.ts';
import { GeneratorError } from './errors.ts';

export interface HistoryWriteResult {
  readonly inserted: number;
  readonly skipped: number;
}

export async function writeHistory(
  pool: Pool,
  payments: readonly LabelledPayment[],
  options: { batchSize?: number; onProgress?: (written: number) => void } = {},
): Promise<HistoryWriteResult> {
  const batchSize = options.batchSize ?? 2000;
  if (!(Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= 50_000)) {
    throw new RangeError(`batchSize must be an integer 1..50000, got ${batchSize}`);
  }
  let inserted = 0;
  for (let i = 0; i < payments.length; i += batchSize) {
    const batch = payments.slice(i, i + batchSize);
    try {
      const result = await pool.query(
        `insert into fraud_payment_history (payment_id, card_id, ts, payment, is_fraud, scenario, scenario_instance)
         select * from unnest($1::text[], $2::text[], $3::timestamptz[], $4::jsonb[], $5::boolean[], $6::text[], $7::text[])
         on conflict (payment_id) do nothing`,
        [
          batch.map((p) => p.payment.paymentId),
          batch.map((p) => p.payment.cardId),
          batch.map((p) => p.payment.ts),
          batch.map((p) => JSON.stringify(p.payment)),
          batch.map((p) => p.isFraud),
          batch.map((p) => p.scenario),
          batch.map((p) => p.scenarioInstance),
        ],
      );
      inserted += result.rowCount ?? 0;
    } catch (error) {
      throw new GeneratorError(`writing history rows ${i}..${i + batch.length} failed`, {
        retriable: true,
        cause: error,
      });
    }
    options.onProgress?.(Math.min(i + batchSize, payments.length));
  }
  return { inserted, skipped: payments.length - inserted };
}

export interface HistoryRow {
  readonly payment: Payment;
  readonly isFraud: boolean;
  readonly scenario: ScenarioName | null;
  readonly scenarioInstance: string | null;
}

interface HistoryDbRow {
  payment_id: string;
  ts_text: string;
  payment: Payment;
  is_fraud: boolean;
  scenario: ScenarioName | null;
  scenario_instance: string | null;
}

/** Every history row in event-time order (ties by payment_id), read page by page. */
export async function* readHistory(
  pool: Pool,
  options: { pageSize?: number } = {},
): AsyncGenerator<HistoryRow> {
  const pageSize = options.pageSize ?? 5000;
  let after = null as { ts: string; id: string } | null;
  for (;;) {
    const { rows }: { rows: HistoryDbRow[] } = await pool.query<HistoryDbRow>(
      `select payment_id, to_char(ts at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as ts_text, payment, is_fraud, scenario, scenario_instance
         from fraud_payment_history
        where $1::timestamptz is null or (ts, payment_id) > ($1::timestamptz, $2::text)
        order by ts, payment_id
        limit $3`,
      [after?.ts ?? null, after?.id ?? null, pageSize],
    );
    for (const row of rows) {
      yield {
        payment: row.payment,
        isFraud: row.is_fraud,
        scenario: row.scenario,
        scenarioInstance: row.scenario_instance,
      };
    }
    const last: HistoryDbRow | undefined = rows[rows.length - 1];
    if (!last || rows.length < pageSize) return;
    after = { ts: `${last.ts_text}Z`, id: last.payment_id };
  }
}

export async function countHistory(pool: Pool): Promise<{ payments: number; fraud: number }> {
  const { rows } = await pool.query<{ payments: string; fraud: string }>(
    'select count(*) as payments, count(*) filter (where is_fraud) as fraud from fraud_payment_history',
  );
  return { payments: Number(rows[0]?.payments ?? 0), fraud: Number(rows[0]?.fraud ?? 0) };
}
