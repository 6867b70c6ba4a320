import { fileURLToPath } from 'node:url';
import { processEnvironment } from '@streamkit/config';
import { useServiceProcesses } from '@streamkit/testkit/file-env';
import { describe, expect, it, vi } from 'vitest';
import { catalogHistory, expectOnlineStoreEquals, useFeaturesEnv } from './features.harness.ts';
import { referenceFromRecords } from './features.reference.ts';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const LATENESS_MS = 600_000;
const env = useFeaturesEnv('recs-crash');
const processes = useServiceProcesses();

async function loggedEvents(): Promise<number> {
  const { rows } = await env().pool.query<{ n: string }>('SELECT count(*) AS n FROM recs_events');
  return Number(rows[0]?.n);
}

describe('features worker crash recovery', () => {
  it('kill -9 mid-stream, restart: counters equal the reference (nothing lost, nothing counted twice)', async () => {
    const history = catalogHistory({
      seed: 11,
      users: 120,
      userPrefix: 'kc-',
      startMs: Date.UTC(2026, 2, 2),
      hours: 12,
    });
    const childEnv = processEnvironment({
      ...env().childEnv(),
      FEATURES_GROUP_ID: `${env().name}-child`,
      // small runs: the kill lands between many Redis transactions
      FEATURES_MAX_BATCH_SIZE: '15',
      FEATURES_SESSION_TIMEOUT_MS: '6000',
      FEATURES_ALLOWED_LATENESS_MS: String(LATENESS_MS),
      FEATURES_POPULARITY_REFRESH_MS: '20',
    });
    const startChild = () => processes.start('src/features/main.ts', { cwd: appDir, env: childEnv });

    const half = Math.floor(history.length / 2);
    await env().producer.send(
      env().topics.events,
      history.slice(0, half).map((value) => ({ value })),
    );
    const first = startChild();
    await expect
      .poll(loggedEvents, { timeout: 60_000, interval: 20 })
      .toBeGreaterThanOrEqual(Math.floor(half / 3));
    const killed = await first.stop('SIGKILL');
    expect(killed.signal, first.output()).toBe('SIGKILL');
    expect(await loggedEvents()).toBeLessThan(history.length); // really killed mid-stream

    // the rest arrives while it is down; a restarted worker replays from the last committed offsets
    await env().producer.send(
      env().topics.events,
      history.slice(half).map((value) => ({ value })),
    );
    const second = startChild();
    const records = await env().admin.readTopic(env().topics.events.name);
    expect(records).toHaveLength(history.length);
    const reference = referenceFromRecords(records, env().catalog, LATENESS_MS);
    await vi.waitFor(() => expectOnlineStoreEquals(env(), reference), { timeout: 90_000, interval: 250 });
    expect(await loggedEvents()).toBe(history.length);

    const stopped = await second.stop('SIGTERM');
    expect(stopped.code, second.output()).toBe(0);
  }, 150_000);
});
