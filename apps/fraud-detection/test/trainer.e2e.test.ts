// The trainer job end to end on a fresh database: history written by the generator, the job run as
// a process, a model published to fraud_models with a NOTIFY the detector listens for.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { processEnvironment } from '@streamkit/config';
import { createTestDatabase } from '@streamkit/testkit';
import pg from 'pg';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { StoredModel } from '../src/domain/contracts.ts';
import { FEATURE_NAMES } from '../src/domain/index.ts';
import { createScoringModel } from '../src/domain/model/index.ts';
import { writeHistory } from '../src/generator/history-store.ts';
import { generatePayments } from '../src/generator/stream.ts';
import { runTraining } from '../src/trainer/run-training.ts';
import { useMigratedDatabase } from './support/migrated-database.ts';

const run = promisify(execFile);
const appDir = new URL('..', import.meta.url).pathname;
const { databaseUrl } = inject('infrastructure');
const database = useMigratedDatabase('fraud-trainer', 3);

beforeAll(async () => {
  // small but with enough attacks in both the earlier 80 % and the later 20 %
  const history = generatePayments({
    seed: 11,
    cards: 300,
    days: 8,
    startMs: Date.UTC(2026, 0, 1),
    fraudPerCardDay: 0.02,
  });
  await writeHistory(database().pool, history);
});

describe('trainer job', () => {
  it('trains on the history, prints a report, publishes a versioned model and notifies', async () => {
    const listener = new pg.Client({ connectionString: database().db.url });
    listener.on('error', () => undefined);
    await listener.connect();
    const published: string[] = [];
    listener.on('notification', (n) => published.push(n.payload ?? ''));
    await listener.query('listen fraud_model_published');
    try {
      const { stdout } = await run(process.execPath, ['src/trainer/main.ts'], {
        cwd: appDir,
        env: processEnvironment({ DATABASE_URL: database().db.url }),
      });
      expect(stdout).toMatch(
        /held-out at threshold [\d.]+ .*precision [\d.]+, recall [\d.]+, ROC AUC [\d.]+/,
      );

      const { rows } = await database().pool.query<{ version: string; model: StoredModel; active: boolean }>(
        'select version, model, active from fraud_models',
      );
      expect(rows).toHaveLength(1);
      const row = rows[0] as (typeof rows)[number];
      expect(row.version).toMatch(/^lr-\d{8}T\d{6}Z-[0-9a-f]{8}$/);
      expect(row.active).toBe(true);
      expect(stdout).toContain(`published ${row.version}`);
      await expect.poll(() => published, { timeout: 5000 }).toContain(row.version);

      const m = row.model.metrics;
      expect(row.model.featureNames).toEqual([...FEATURE_NAMES]);
      expect(m.rocAuc).toBeGreaterThan(0.9);
      expect(m.precision).toBeGreaterThan(0.3);
      expect(m.recall).toBeGreaterThan(0.3);
      const { rows: count } = await database().pool.query<{ n: number }>(
        'select count(*)::int as n from fraud_payment_history',
      );
      expect(m.trainSize + m.testSize).toBe(count[0]?.n);
      expect(m.trainSize).toBe(Math.floor(0.8 * (count[0]?.n ?? 0)));
      // what the detector will load scores payments with the features it computes
      const model = createScoringModel(row.model);
      const score = model.score({ names: FEATURE_NAMES, values: new Float64Array(FEATURE_NAMES.length) });
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(1);
    } finally {
      await listener.end();
    }
  });

  it('refuses to publish a model below the minimum ROC AUC', async () => {
    const lines: string[] = [];
    await expect(
      runTraining(
        database().pool,
        { trainFraction: 0.8, l2: 0.001, epochs: 50, minRocAuc: 1.01, publish: true },
        (l) => lines.push(l),
      ),
    ).rejects.toThrow(/below the minimum 1.01: model not published/);
    const { rows } = await database().pool.query('select version from fraud_models');
    expect(rows).toHaveLength(1);
  });

  it('fails with a clear message on an empty history', async () => {
    const empty = await createTestDatabase(databaseUrl, 'fraud-trainer-empty');
    try {
      const result = await run(process.execPath, ['src/trainer/main.ts'], {
        cwd: appDir,
        env: processEnvironment({ DATABASE_URL: empty.url }),
      }).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/trainer failed: need fraud in both splits: train has 0 of 0/);
    } finally {
      await empty.drop();
    }
  });
});
