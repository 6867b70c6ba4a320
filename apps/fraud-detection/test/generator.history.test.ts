import { describe, expect, it } from 'vitest';
import { countHistory, readHistory, writeHistory } from '../src/generator/history-store.ts';
import { generatePayments } from '../src/generator/stream.ts';
import { useMigratedDatabase } from './support/migrated-database.ts';

const database = useMigratedDatabase('fraud-gen', 2);

describe('history in Postgres (fraud_payment_history)', () => {
  const payments = generatePayments({
    seed: 3,
    cards: 60,
    days: 3,
    startMs: Date.UTC(2026, 0, 1),
    fraudPerCardDay: 0.05,
  });

  it('is written idempotently: a second run of the same seed inserts nothing', async () => {
    const first = await writeHistory(database().pool, payments, { batchSize: 100 });
    expect(first).toEqual({ inserted: payments.length, skipped: 0 });
    const again = await writeHistory(database().pool, payments, { batchSize: 250 });
    expect(again).toEqual({ inserted: 0, skipped: payments.length });
    expect(await countHistory(database().pool)).toEqual({
      payments: payments.length,
      fraud: payments.filter((p) => p.isFraud).length,
    });
  });

  it('reads back every payment with its labels, in event-time order across pages', async () => {
    const rows = [];
    for await (const row of readHistory(database().pool, { pageSize: 37 })) rows.push(row);
    expect(rows).toHaveLength(payments.length);
    const times = rows.map((r) => Date.parse(r.payment.ts));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const byId = new Map(payments.map((p) => [p.payment.paymentId, p]));
    for (const row of rows) {
      const original = byId.get(row.payment.paymentId);
      expect(row).toEqual({
        payment: original?.payment,
        isFraud: original?.isFraud,
        scenario: original?.scenario,
        scenarioInstance: original?.scenarioInstance,
      });
    }
  });

  it('refuses a label that contradicts itself (fraud without a scenario)', async () => {
    await expect(
      database().pool.query(
        `insert into fraud_payment_history (payment_id, card_id, ts, payment, is_fraud, scenario)
         values ('bad-1', 'c', now(), '{}', true, null)`,
      ),
    ).rejects.toThrow(/check constraint/);
  });
});
