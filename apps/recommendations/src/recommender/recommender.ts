import { backoffDelayMs, describeError, type Logger, transientFailureReason } from '@streamkit/runtime';
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import type { CatalogIndex } from '../catalog/index.ts';
import type { CachedRecommendations, RecsRedisKeys } from '../common/redis-keys.ts';
import { defaultModel, type ScoringModel } from '../domain/model.ts';
import {
  createItemFactsCache,
  createRanker,
  defaultRecommendSettings,
  distinctRecent,
  type ItemFactsCache,
} from '../domain/recommend.ts';
import { readUserViews } from '../features/online-read.ts';
import { createDirtyUserQueue } from './dirty-users.ts';
import { latestModel } from './model-store.ts';
import { loadPopularity, onlineSignals, type PopularitySnapshot } from './online-signals.ts';
import type { RecommenderMetrics } from './recommender-metrics.ts';
import type { RecommenderSettings } from './settings.ts';

export interface RecommenderDeps {
  /** Commands (the subscriber below cannot run them). */
  redis: Redis;
  /** A second connection, put in subscriber mode for change notifications. */
  subscriber: Redis;
  pool: Pool;
  keys: RecsRedisKeys;
  catalog: CatalogIndex;
  settings: RecommenderSettings;
  metrics?: RecommenderMetrics;
  logger: Logger;
  now?: () => number;
}

export interface Recommender {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Rejects when the loop failed for good. */
  readonly done: Promise<void>;
  /** The model version being served. */
  modelVersion(): string;
  /** While rounds wait for Redis or PostgreSQL to come back: since when and why (for /health). */
  outage(): RecommenderOutage | undefined;
}

export interface RecommenderOutage {
  readonly since: number;
  readonly reason: string;
  readonly message: string;
}

/** Rounds failed in a row for something other than an outage before the recommender gives up. */
const maxConsecutiveFailures = 20;
/** Pauses while Redis or PostgreSQL is down: 250 ms doubling to 5 s, with jitter. */
const outageBackoff = { initialBackoffMs: 250, maxBackoffMs: 5000 } as const;

/**
 * Ranks users whose features changed (the features worker adds them to dirtyUsers and pings a
 * channel), writes their top-N to the cache with a TTL and the model version, keeps the trending
 * fallback fresh, and swaps in new model versions as the trainer stores them: no restart.
 */
export function createRecommender(deps: RecommenderDeps): Recommender {
  const { redis, subscriber, pool, keys, catalog, settings, logger } = deps;
  const now = deps.now ?? Date.now;
  let model: ScoringModel = defaultModel();
  let popularity: PopularitySnapshot | undefined;
  let popularityAt = 0;
  /** Item facts (stock, category, popularity) of a popularity snapshot, shared by its rounds. */
  const itemFacts = new WeakMap<PopularitySnapshot, ItemFactsCache>();
  let modelCheckedAt = 0;
  let stopping = false;
  let wake: (() => void) | undefined;
  let loop: Promise<void> = Promise.resolve();
  const dirtyUsers = createDirtyUserQueue(redis, keys, settings, now);

  async function checkModel(): Promise<void> {
    modelCheckedAt = now();
    const stored = await latestModel(pool);
    if (stored !== undefined && stored.model.version !== model.version) {
      logger.info('serving new model version', { from: model.version, to: stored.model.version });
      model = stored.model;
      deps.metrics?.modelSwaps.inc();
    }
    await redis.set(keys.modelVersion(), model.version);
  }

  async function refreshSignals(): Promise<PopularitySnapshot> {
    popularityAt = now();
    const snapshot = await loadPopularity(redis, keys, catalog);
    popularity = snapshot;
    const trending: CachedRecommendations = {
      userId: '*',
      items: snapshot.ranked.slice(0, settings.topN).map((productId) => ({
        productId,
        // the ranking's own measure: events in the last 24 h of event time
        score: snapshot.pop24h.get(productId) ?? 0,
        reason: 'trending now',
      })),
      modelVersion: model.version,
      generatedAt: new Date(now()).toISOString(),
    };
    await redis.set(keys.trending(), JSON.stringify(trending));
    return snapshot;
  }

  async function rankUsers(userIds: readonly string[]): Promise<void> {
    const started = performance.now();
    const signalsSnapshot =
      popularity === undefined || now() - popularityAt >= settings.signalsRefreshMs
        ? await refreshSignals()
        : popularity;
    const features = await readUserViews(redis, keys, userIds);
    const recentItems = features.flatMap((u) =>
      distinctRecent(u, defaultRecommendSettings.recentForCandidates),
    );
    const signals = await onlineSignals(redis, keys, catalog, signalsSnapshot, recentItems);
    // one ranker per round; item facts are looked up once per popularity snapshot, not per user
    let facts = itemFacts.get(signalsSnapshot);
    if (facts === undefined) {
      facts = createItemFactsCache();
      itemFacts.set(signalsSnapshot, facts);
    }
    const rank = createRanker(signals, model, { ...defaultRecommendSettings, limit: settings.topN }, facts);
    const write = redis.pipeline();
    const generatedAt = new Date(now()).toISOString();
    for (const user of features) {
      const items = rank(user);
      const value: CachedRecommendations = {
        userId: user.userId,
        items,
        modelVersion: model.version,
        generatedAt,
      };
      write.set(keys.recs(user.userId), JSON.stringify(value), 'EX', settings.recsTtlSeconds);
    }
    await write.exec();
    deps.metrics?.usersRanked.inc(userIds.length);
    deps.metrics?.rankSeconds.observe((performance.now() - started) / 1000 / Math.max(1, userIds.length));
  }

  async function round(): Promise<number> {
    if (now() - modelCheckedAt >= settings.modelPollIntervalMs) await checkModel();
    const requeued = await dirtyUsers.requeueExpired();
    if (requeued > 0) logger.warn('users of an unfinished round are queued again', { users: requeued });
    const claim = await dirtyUsers.claim(settings.batchSize);
    const { users } = claim;
    if (users.length === 0) {
      if (now() - popularityAt >= settings.signalsRefreshMs) await refreshSignals();
      return 0;
    }
    try {
      await rankUsers(users);
    } catch (error) {
      // put them back: they are ranked next round (the cache is derived, a retry is harmless); if
      // Redis is down too, the claim's deadline brings them back
      await dirtyUsers.giveBack(claim).catch(() => undefined);
      throw error;
    }
    await dirtyUsers.release(claim);
    return users.length;
  }

  let outage: RecommenderOutage | undefined;

  async function run(): Promise<void> {
    let failures = 0;
    let outageAttempts = 0;
    while (!stopping) {
      let pauseMs = settings.idlePollMs;
      try {
        const roundStarted = performance.now();
        const ranked = await round();
        failures = 0;
        outageAttempts = 0;
        if (outage !== undefined)
          logger.info('recommender rounds resumed', { waitedMs: now() - outage.since });
        outage = undefined;
        if (ranked >= settings.batchSize) continue;
        if (ranked > 0) {
          // a short round: the next one waits out the interval and so ranks more users at once
          const rest = settings.minRoundIntervalMs - (performance.now() - roundStarted);
          if (rest >= 1) await new Promise((resolve) => setTimeout(resolve, rest));
          continue;
        }
      } catch (error) {
        const reason = transientFailureReason(error);
        if (reason !== undefined) {
          // an outage is waited out for as long as it takes (claims keep the users): never exit
          outageAttempts++;
          outage ??= { since: now(), reason, message: describeError(error) };
          pauseMs = backoffDelayMs(outageAttempts, outageBackoff);
          logger.warn('recommender round waits for its infrastructure', {
            reason,
            error: describeError(error),
            attempt: outageAttempts,
            retryInMs: pauseMs,
          });
        } else {
          failures++;
          logger.warn('recommender round failed', { error: describeError(error), failures });
          if (failures >= maxConsecutiveFailures) throw error;
        }
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pauseMs);
        // a change notification wakes an idle loop, not one that waits for Redis
        wake =
          outage === undefined
            ? () => {
                clearTimeout(timer);
                resolve();
              }
            : undefined;
      });
      wake = undefined;
    }
  }

  let resolveDone: () => void = () => undefined;
  let rejectDone: (error: unknown) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });

  return {
    done,
    modelVersion: () => model.version,
    outage: () => outage,
    async start() {
      await checkModel();
      await refreshSignals();
      subscriber.on('message', () => wake?.());
      await subscriber.subscribe(keys.userChanged());
      loop = run().then(resolveDone, (error: unknown) => {
        rejectDone(error);
      });
    },
    async stop() {
      stopping = true;
      wake?.();
      await loop;
      await subscriber.unsubscribe().catch(() => undefined);
    },
  };
}
