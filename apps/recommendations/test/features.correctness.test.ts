import type { UserEvent } from '@streamkit/schemas';
import { describe, expect, it, vi } from 'vitest';
import { getProduct, listByCategory, seedCatalog } from '../src/catalog/index.ts';
import { FeatureState } from '../src/domain/feature-state.ts';
import { validateFeaturesSettings } from '../src/features/settings.ts';
import { userFeaturesAsOf } from '../src/features/snapshots.ts';
import {
  CATALOG,
  catalogHistory,
  expectOnlineStoreEquals,
  useFeaturesEnv,
  userEvent,
} from './features.harness.ts';
import { referenceFromRecords } from './features.reference.ts';

const env = useFeaturesEnv('recs-feat');
const START = Date.UTC(2026, 2, 1);
const LATENESS_MS = 600_000;

describe('features worker', () => {
  it('online features equal a reference computed from the events (late events and duplicates included)', async () => {
    const history = catalogHistory({ seed: 3, users: 25, userPrefix: 'fc-', startMs: START, hours: 6 });
    // late events: 2 h behind a watermark that allows 10 min; duplicates: the same eventIds re-sent
    const late: UserEvent[] = history
      .slice(0, 15)
      .map((e, i) => ({ ...e, eventId: `late-${i}`, ts: new Date(START - 7_200_000).toISOString() }));
    const duplicates = history.slice(50, 70);
    const all = [...history, ...late, ...duplicates];
    await env().producer.send(
      env().topics.events,
      all.map((value) => ({ value })),
    );
    await env().startWorker({
      FEATURES_ALLOWED_LATENESS_MS: String(LATENESS_MS),
      FEATURES_SNAPSHOT_INTERVAL_MS: '200',
    });

    const records = await env().admin.readTopic(env().topics.events.name);
    expect(records).toHaveLength(all.length);
    const reference = referenceFromRecords(records, env().catalog, LATENESS_MS);
    expect(reference.lateEvents).toBe(late.length);
    await vi.waitFor(() => expectOnlineStoreEquals(env(), reference), { timeout: 60_000, interval: 200 });

    // offline side: each event once in the log; snapshots give point-in-time features
    const { rows } = await env().pool.query<{ n: string }>('SELECT count(*) AS n FROM recs_events');
    expect(Number(rows[0]?.n)).toBe(history.length + late.length);
    const user = [...reference.users.keys()][0] as string;
    await vi.waitFor(
      async () => {
        const snapshot = await userFeaturesAsOf(env().pool, user, Date.UTC(2030, 0, 1));
        expect(snapshot?.events).toBe(reference.users.get(user)?.events);
      },
      { timeout: 30_000, interval: 100 },
    );
    expect(await userFeaturesAsOf(env().pool, user, START - 86_400_000)).toBeUndefined();
  });

  it('serves the seeded catalog from Postgres; seeding again changes nothing', async () => {
    expect(await seedCatalog(env().pool, CATALOG)).toMatchObject({ products: CATALOG.products, inserted: 0 });
    const product = await getProduct(env().pool, 'p-000021');
    expect(product).toMatchObject({ id: 'p-000021', categoryId: product?.category.id });
    expect(product?.category.name.length).toBeGreaterThan(0);
    expect(await getProduct(env().pool, 'p-999999')).toBeUndefined();
    const page = await listByCategory(env().pool, product?.categoryId as string, { limit: 5, offset: 1 });
    expect(page).toHaveLength(5);
    expect(page.every((p) => p.categoryId === product?.categoryId)).toBe(true);
    expect(env().catalog.size).toBe(CATALOG.products);
  });

  it('rejects nonsense settings naming each problem', () => {
    expect(() => validateFeaturesSettings(env().settings({ maxBatchSize: 0, groupId: 'bad group' }))).toThrow(
      /groupId must be a Kafka group name.*maxBatchSize must be an integer >= 1/,
    );
  });

  it('decays category affinity by event time, whatever order the events arrive in', () => {
    const categoryOf = (p: string) => (p.startsWith('a') ? 'cat-a' : 'cat-b');
    const events = [
      userEvent({ eventId: 'd1', userId: 'u', productId: 'a1' }, START),
      userEvent({ eventId: 'd2', userId: 'u', productId: 'b1', type: 'purchase' }, START + 4 * 86_400_000),
      userEvent({ eventId: 'd3', userId: 'u', productId: 'a2' }, START + 2 * 86_400_000),
    ];
    const inOrder = new FeatureState(categoryOf, Number.POSITIVE_INFINITY);
    for (const e of [...events].sort((a, b) => a.ts.localeCompare(b.ts))) inOrder.apply(e);
    const shuffled = new FeatureState(categoryOf, Number.POSITIVE_INFINITY);
    for (const e of events) shuffled.apply(e);
    const a = inOrder.users.get('u');
    // held at the newest event: a1 two half-lives old (0.25), a2 one (0.5); b1's purchase weighs 5
    expect(a?.affinity.get('cat-a')).toBeCloseTo(0.75, 9);
    expect(a?.affinity.get('cat-b')).toBeCloseTo(5, 9);
    expect(shuffled.users.get('u')?.affinity.get('cat-a')).toBeCloseTo(0.75, 9);
    expect(shuffled.users.get('u')?.affinityRefMs).toBe(START + 4 * 86_400_000);
  });
});
