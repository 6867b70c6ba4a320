import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { processEnvironment } from '@streamkit/config';
import { createPool } from '@streamkit/postgres';
import { createTestDatabase, type TestDatabase } from '@streamkit/testkit';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { seedCatalog } from '../src/catalog/index.ts';
import { migrate } from '../src/db/migrate.ts';
import type { OfflineEvaluation } from '../src/domain/offline-evaluation.ts';
import { backfillOfflineStore } from '../src/generator/history-sink.ts';
import { createShopperWorld, simulateHistory } from '../src/generator/index.ts';
import { latestModel } from '../src/recommender/model-store.ts';

const infra = inject('infrastructure');
const appDir = fileURLToPath(new URL('..', import.meta.url));
const PRODUCTS = 2000;
let db: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase(infra.databaseUrl, 'recs_trainer');
  pool = createPool(db.url, { max: 3 });
  await migrate(pool);
  await seedCatalog(pool, { seed: 21, products: PRODUCTS });
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

function runTrainer(version: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['src/trainer/main.ts'], {
    cwd: appDir,
    env: processEnvironment({ DATABASE_URL: db.url, TRAINER_MODEL_VERSION: version }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => {
    output += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    output += c.toString();
  });
  return once(child, 'exit').then(([code]) => ({ code: code as number | null, output }));
}

describe('trainer job', () => {
  it('refuses to train on an empty offline store', async () => {
    const { code, output } = await runTrainer('empty');
    expect(code).toBe(1);
    expect(output).toMatch(/need at least 500 events/);
  });

  it('trains from the offline store, evaluates on a time split, and stores a versioned model', async () => {
    const world = createShopperWorld({ seed: 21, users: 400, products: PRODUCTS });
    const events = simulateHistory(
      { ...world.settings, startMs: Date.UTC(2026, 1, 1), durationMs: 8 * 86_400_000, sessionsPerUser: 4 },
      world,
    );
    expect(await backfillOfflineStore(pool, events)).toBe(events.length);
    expect(await backfillOfflineStore(pool, events)).toBe(0); // idempotent

    const { code, output } = await runTrainer('e2e-v1');
    expect(code, output).toBe(0);
    expect(output).toMatch(/hit-rate@10 [\d.]+ \(baseline [\d.]+, lift [\d.]+x\), NDCG@10/);

    const stored = await latestModel(pool);
    expect(stored?.model.version).toBe('e2e-v1');
    const { rows } = await pool.query<{
      evaluation: OfflineEvaluation;
      trained_on: { events: number; splitTs: string };
    }>(`SELECT evaluation, trained_on FROM recs_models WHERE version = 'e2e-v1'`);
    const evaluation = rows[0]?.evaluation as OfflineEvaluation;
    expect(rows[0]?.trained_on.events).toBe(events.length);
    expect(evaluation.model.users).toBeGreaterThan(100);
    expect(evaluation.model.hitRateAt10).toBeGreaterThan(evaluation.popularityBaseline.hitRateAt10);
    expect(evaluation.model.ndcgAt10).toBeGreaterThan(evaluation.popularityBaseline.ndcgAt10);
    const similarity = await pool.query<{ n: string; max: number }>(
      `SELECT count(*) AS n, max(similarity) AS max FROM recs_item_similarity WHERE model_version = 'e2e-v1'`,
    );
    expect(Number(similarity.rows[0]?.n)).toBeGreaterThan(1000);
    expect(similarity.rows[0]?.max).toBeLessThanOrEqual(1 + 1e-9);

    // a second run is a new version; the newest is what the recommender serves
    expect((await runTrainer('e2e-v2')).code).toBe(0);
    expect((await latestModel(pool))?.model.version).toBe('e2e-v2');
  });
});
