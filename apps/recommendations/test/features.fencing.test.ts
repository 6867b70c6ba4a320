// Two members applying the same partition at once (an old owner still finishing its run after a
// rebalance): the run computed against a marker another member has moved since writes nothing —
// neither its counters nor a marker that would move back — on the real Redis.
import type { UserEvent } from '@streamkit/schemas';
import { describe, expect, it } from 'vitest';
import { readMarker, writeIfMarker } from '../src/features/marker-fence.ts';
import { applyToOnlineStore } from '../src/features/online-store.ts';
import { catalogHistory, useFeaturesEnv } from './features.harness.ts';

const env = useFeaturesEnv('recs-fencing');

describe('processed-marker fencing', () => {
  it('a run read against a marker that moved since writes nothing', async () => {
    const history: UserEvent[] = catalogHistory({
      seed: 5,
      users: 4,
      userPrefix: 'fence-',
      startMs: Date.UTC(2026, 2, 4),
      hours: 1,
      sessionsPerUser: 2,
    }).slice(0, 12);
    const topic = env().topics.events.name;
    const events = history.map((event, offset) => ({ event, offset: String(offset) }));
    const settings = env().settings();
    const categoryOf = (p: string) => env().catalog.categoryOf(p);
    const run = (marker: Awaited<ReturnType<typeof readMarker>>, from: number, to: number) => ({
      topic,
      partition: 0,
      events: events.slice(from, to),
      marker,
      through: String(to - 1),
    });

    // both members read the marker before either writes
    const oldOwner = await readMarker(env().redis, env().keys, topic, 0);
    const newOwner = await readMarker(env().redis, env().keys, topic, 0);
    expect(oldOwner.offset).toBe(-1n);
    const applied = await applyToOnlineStore(
      env().redis,
      env().keys,
      run(newOwner, 0, 12),
      categoryOf,
      settings,
    );
    expect(applied?.applied).toBe(12);
    const after = await env().redis.dump(env().keys.userMeta(history[0]?.userId ?? ''));

    // the old owner's run of the same records, and one of duplicates only (no events, marker 5)
    expect(await applyToOnlineStore(env().redis, env().keys, run(oldOwner, 0, 8), categoryOf, settings)).toBe(
      undefined,
    );
    const duplicatesOnly = { ...run(oldOwner, 0, 0), through: '5' };
    expect(
      await applyToOnlineStore(env().redis, env().keys, duplicatesOnly, categoryOf, settings),
    ).toBeUndefined();
    expect((await readMarker(env().redis, env().keys, topic, 0)).offset).toBe(11n);
    expect(await env().redis.dump(env().keys.userMeta(history[0]?.userId ?? ''))).toEqual(after);
    const counted = await Promise.all(
      [...new Set(history.map((e) => e.userId))].map(async (u) =>
        Number(await env().redis.hget(env().keys.userMeta(u), 'events')),
      ),
    );
    expect(counted.reduce((a, b) => a + b, 0)).toBe(12);
  });

  it('writes a run whose commands carry more values than one Lua call can unpack', async () => {
    const topic = `${env().topics.events.name}-wide`;
    const members = Array.from({ length: 9000 }, (_, i) => `u${i}`);
    const marker = await readMarker(env().redis, env().keys, topic, 1);
    const key = env().keys.dirtyUsers();
    expect(
      await writeIfMarker(env().redis, env().keys, topic, 1, marker, '8999', [['SADD', key, ...members]]),
    ).toBe(true);
    expect(await env().redis.scard(key)).toBeGreaterThanOrEqual(9000);
    expect((await readMarker(env().redis, env().keys, topic, 1)).offset).toBe(8999n);
  });
});
