// A model from the start: `ensureModel` (run by `pnpm demo fraud` and by compose's fraud-model-init
// as `node src/trainer/main.ts --if-missing`) on a fresh database, twice at once, then again.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { processEnvironment } from '@streamkit/config';
import { createPool } from '@streamkit/postgres';
import { createTestDatabase, type TestDatabase } from '@streamkit/testkit';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { defaultHistory, ensureModel } from '../src/trainer/ensure-model.ts';

const run = promisify(execFile);
const appDir = new URL('..', import.meta.url).pathname;
const { databaseUrl } = inject('infrastructure');
let db: TestDatabase;
// two pools: two init runs starting together (a demo and compose on one database, two replicas)
let pools: pg.Pool[];
const versions = async () =>
  (await (pools[0] as pg.Pool).query<{ version: string }>('select version from fraud_models')).rows.map(
    (r) => r.version,
  );

beforeAll(async () => {
  db = await createTestDatabase(databaseUrl, 'fraud-ensure-model');
  pools = [createPool(db.url, { max: 3 }), createPool(db.url, { max: 3 })];
});
afterAll(async () => {
  await Promise.all((pools ?? []).map((p) => p.end()));
  await db?.drop();
});

const training = { trainFraction: 0.8, l2: 0.001, epochs: 200, minRocAuc: 0.7, publish: true };
// smaller than the default history (2000 cards × 14 days), with enough attacks in both splits
const history = { ...defaultHistory(), seed: 11, cards: 300, days: 8, fraudPerCardDay: 0.02 };

describe('a trained model from the start', () => {
  it('on an empty database: writes the history and trains one model, even when two runs start at once', async () => {
    const logs: string[][] = [[], []];
    const [a, b] = await Promise.all(
      pools.map((pool, i) => ensureModel(pool, training, (line) => logs[i]?.push(line), history)),
    );
    expect([a?.trained, b?.trained].sort()).toEqual([false, true]);
    expect(a?.model.version).toBe(b?.model.version);
    const trainedLog = (a?.trained ? logs[0] : logs[1]) ?? [];
    expect(trainedLog.join('\n')).toMatch(/no labelled history: generating the history, then training/);
    expect(trainedLog.join('\n')).toMatch(/held-out at threshold .* ROC AUC/);
    // progress while it trains (seconds at the demo's size)
    expect(trainedLog.join('\n')).toMatch(/training: epoch 100\/200/);
    expect(await versions()).toEqual([a?.model.version]);
    expect(a?.model.metrics.rocAuc).toBeGreaterThan(0.9);
  });

  it('with a model active, `trainer --if-missing` leaves it and says which one is in use', async () => {
    const before = await versions();
    const { stdout } = await run(process.execPath, ['src/trainer/main.ts', '--if-missing'], {
      cwd: appDir,
      env: processEnvironment({ DATABASE_URL: db.url, LOG_LEVEL: 'warn' }),
    });
    const version = before[0] ?? '';
    expect(stdout).toContain(`model ${version} is active: nothing to train`);
    expect(stdout).toMatch(
      new RegExp(`model in use \\(already active\\): ${version}: held-out ROC AUC 0\\.\\d{3}, precision`),
    );
    expect(await versions()).toEqual(before);
  });
});
