// A model from the start: `ensureModel` (run by `pnpm demo recommendations` and by compose's
// recs-model-init as `node src/trainer/main.ts --if-missing`) on a fresh database, twice at once,
// then again.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { processEnvironment } from '@streamkit/config';
import { createPool } from '@streamkit/postgres';
import { createTestDatabase, type TestDatabase } from '@streamkit/testkit';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { countEvents } from '../src/features/event-log.ts';
import { latestModel } from '../src/recommender/model-store.ts';
import { ensureModel } from '../src/trainer/ensure-model.ts';
import { defaultTrainingSettings } from '../src/trainer/run-training.ts';

const run = promisify(execFile);
const infra = inject('infrastructure');
const appDir = fileURLToPath(new URL('..', import.meta.url));
let db: TestDatabase;
// two pools: two init runs starting together (a demo and compose on one database, two replicas)
let pools: pg.Pool[];

beforeAll(async () => {
  db = await createTestDatabase(infra.databaseUrl, 'recs_ensure_model');
  pools = [createPool(db.url, { max: 3 }), createPool(db.url, { max: 3 })];
});
afterAll(async () => {
  await Promise.all((pools ?? []).map((p) => p.end()));
  await db?.drop();
});

// smaller than the generator's defaults (2000 shoppers × 7 days, 10,000 products)
const world = { seed: 'ensure', users: 400, products: 2000, historyDays: 8, sessionsPerUserPerDay: 0.5 };
const settings = { training: defaultTrainingSettings, world };

describe('a trained model from the start', () => {
  it('on an empty database: fills the offline store and trains one model, even when two runs start at once', async () => {
    const logs: string[][] = [[], []];
    const [a, b] = await Promise.all(
      pools.map((pool, i) => ensureModel(pool, settings, (line) => logs[i]?.push(line))),
    );
    expect([a?.trained, b?.trained].sort()).toEqual([false, true]);
    expect(a?.version).toBe(b?.version);
    expect(a?.evaluation).toEqual(b?.evaluation);
    const trainedLog = ((a?.trained ? logs[0] : logs[1]) ?? []).join('\n');
    expect(trainedLog).toMatch(/no model, 0 events in the offline store: simulating 8 days of 400 shoppers/);
    expect(trainedLog).toMatch(/hit-rate@10 [\d.]+ \(baseline [\d.]+, lift [\d.]+x\)/);
    const pool = pools[0] as pg.Pool;
    expect(await countEvents(pool)).toBeGreaterThan(defaultTrainingSettings.minEvents);
    expect((await latestModel(pool))?.model.version).toBe(a?.version);
    expect((await pool.query('select version from recs_models')).rowCount).toBe(1);
    expect(a?.evaluation.model.hitRateAt10).toBeGreaterThan(
      a?.evaluation.popularityBaseline.hitRateAt10 ?? 1,
    );
  });

  it('with a model stored, `trainer --if-missing` leaves it and says which one is in use', async () => {
    const pool = pools[0] as pg.Pool;
    const version = (await latestModel(pool))?.model.version ?? '';
    const { stdout } = await run(process.execPath, ['src/trainer/main.ts', '--if-missing'], {
      cwd: appDir,
      env: processEnvironment({ DATABASE_URL: db.url, LOG_LEVEL: 'warn' }),
    });
    expect(stdout).toContain(`model ${version} is stored: nothing to train`);
    expect(stdout).toMatch(
      new RegExp(`model in use \\(already stored\\): ${version}: held-out hit-rate@10 0\\.\\d{3}`),
    );
    expect((await pool.query('select version from recs_models')).rowCount).toBe(1);
  });
});
