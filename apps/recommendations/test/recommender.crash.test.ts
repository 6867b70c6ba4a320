// A recommender killed between taking users from dirtyUsers and writing their recommendations loses
// none of them: the claim outlives the process, and once its deadline passes another recommender
// (here: the restarted one) ranks them. The "kill" is a claim made through the recommender's own
// queue by a process that then never writes, exactly what a kill -9 mid-round leaves in Redis.
import { startPrivateRedis } from '@streamkit/testkit';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { recsRedisKeys } from '../src/common/redis-keys.ts';
import type { Recommender } from '../src/recommender/recommender.ts';
import { createDirtyUserQueue } from '../src/recommender/dirty-users.ts';
import { recommenderService } from '../src/recommender/service.ts';
import { useFeaturesEnv, userEvent } from './features.harness.ts';

const env = useFeaturesEnv('recs-rank-crash');
const LEASE_MS = 1000;

describe('recommender crash between claim and write', () => {
  it("ranks the claimed users once the dead round's claim expires", async () => {
    const { redis, keys } = env();
    await env().startWorker();
    const users = ['crashed-1', 'crashed-2', 'crashed-3'];
    const ts = Date.UTC(2026, 2, 3, 12);
    await env().producer.send(
      env().topics.events,
      users.map((userId, i) => ({
        value: userEvent({ eventId: `rc-${i}`, userId, productId: 'p-000001' }, ts),
      })),
    );
    // the features worker marks them dirty; no recommender runs yet
    await expect
      .poll(() => redis.smembers(keys.dirtyUsers()), { timeout: 30_000, interval: 50 })
      .toEqual(expect.arrayContaining(users));

    // a recommender's round claims them… and dies before writing
    const dead = createDirtyUserQueue(redis, keys, { claimLeaseMs: LEASE_MS });
    const claim = await dead.claim(100);
    expect([...claim.users].sort()).toEqual(users);
    expect(await redis.scard(keys.dirtyUsers())).toBe(0);
    expect(await redis.zcard(keys.dirtyUsersClaimed())).toBe(users.length);

    // a plain SPOP would have lost them here; the restarted recommender ranks them
    await env().start(recommenderService, {
      RECOMMENDER_CLAIM_LEASE_MS: String(LEASE_MS),
      RECOMMENDER_IDLE_POLL_MS: '50',
    });
    for (const userId of users)
      await expect.poll(() => redis.get(keys.recs(userId)), { timeout: 30_000, interval: 50 }).not.toBeNull();
    await expect.poll(() => redis.zcard(keys.dirtyUsersClaimed()), { timeout: 10_000 }).toBe(0);
    // the dead round's late release cannot end a claim that is no longer its own
    await dead.release(claim);
  });

  it('gives a failed round back at once, and a finished round leaves no claim', async () => {
    // keys of its own: the recommender of the first test still runs on this file's prefix
    const { redis } = env();
    const keys = recsRedisKeys(`${env().keyPrefix}queue-unit:`);
    const queue = createDirtyUserQueue(redis, keys, { claimLeaseMs: 60_000 });
    await redis.sadd(keys.dirtyUsers(), 'q-1', 'q-2');
    const failed = await queue.claim(10);
    await queue.giveBack(failed);
    expect((await redis.smembers(keys.dirtyUsers())).sort()).toEqual(['q-1', 'q-2']);
    expect(await redis.zcard(keys.dirtyUsersClaimed())).toBe(0);
    // a user changed again while its round runs is dirty again: the release keeps it queued
    const running = await queue.claim(10);
    await redis.sadd(keys.dirtyUsers(), 'q-1');
    await queue.release(running);
    expect(await redis.smembers(keys.dirtyUsers())).toEqual(['q-1']);
    expect(await redis.zcard(keys.dirtyUsersClaimed())).toBe(0);
    expect(await queue.requeueExpired()).toBe(0);
    await redis.del(keys.dirtyUsers());
  });
});

describe('recommender during a Redis outage', () => {
  it('waits it out (health degraded, never exits) and ranks what was dirty once Redis is back', async () => {
    const { keys } = env();
    const redis = await startPrivateRedis();
    const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    client.on('error', () => undefined); // refused while the test holds Redis down
    try {
      const service = await env().start(recommenderService, {
        REDIS_URL: redis.url,
        RECOMMENDER_IDLE_POLL_MS: '10',
        RECOMMENDER_CLAIM_LEASE_MS: String(LEASE_MS),
      });
      const recommender = service.parts?.recommender as Recommender;
      let exited = false;
      service.done.then(
        () => undefined,
        () => {
          exited = true;
        },
      );
      await redis.stop();
      // before: 20 failed rounds (10 ms apart) and the service exited 1
      await expect.poll(() => recommender.outage()?.reason, { timeout: 30_000 }).toBeDefined();
      const health = await fetch(`${service.address}/health`);
      expect(health.status).toBe(503);
      expect(JSON.stringify(await health.json())).toContain('waiting on infrastructure since');
      // well past 20 rounds' worth of pauses
      await expect
        .poll(() => recommender.outage() !== undefined && Date.now() - (recommender.outage()?.since ?? 0), {
          timeout: 60_000,
        })
        .toBeGreaterThan(3000);
      expect(exited).toBe(false);

      await redis.start();
      await client.sadd(keys.dirtyUsers(), 'outage-1');
      await expect
        .poll(() => client.get(keys.recs('outage-1')), { timeout: 60_000, interval: 100 })
        .not.toBeNull();
      expect(recommender.outage()).toBeUndefined();
      expect((await fetch(`${service.address}/health`)).status).toBe(200);
      expect(exited).toBe(false);
    } finally {
      client.disconnect();
      await redis.stop().catch(() => undefined);
    }
  });
});
