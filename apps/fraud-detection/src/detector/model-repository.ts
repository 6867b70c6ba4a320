import { describeError, type Logger } from '@streamkit/runtime';
import type { Pool } from 'pg';
import type { ScoringModel, StoredModel } from '../domain/contracts.ts';
import { createScoringModel } from '../domain/model/scoring-model.ts';
import { readActiveModel } from '../trainer/model-store.ts';
import type { DetectorMetrics } from './detector-metrics.ts';
import { RepositoryError } from './errors.ts';
import { createHotReloader } from './hot-reloader.ts';
import { loadScoringModel, parseStoredModel } from './stored-model.ts';

export const MODEL_PUBLISHED_CHANNEL = 'fraud_model_published';

export interface ModelRepositorySettings {
  readonly pool: Pool;
  readonly logger: Logger;
  readonly metrics: DetectorMetrics;
  readonly pollIntervalMs: number;
  /** The features the detector computes, in order: a model that cannot score them is rejected. */
  readonly featureNames: readonly string[];
  /** Default: the trainer's `createScoringModel` (src/domain/model). */
  readonly createModel?: (stored: StoredModel) => ScoringModel;
}

export interface ModelRepository {
  /** Loads the newest active model, then follows NOTIFY and polls. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The model in use; null when none is published (rules and patterns decide alone). */
  current(): ScoringModel | null;
  /** Re-reads fraud_models now (also what NOTIFY and the poll do). */
  reload(): Promise<void>;
}

/**
 * The newest active model of fraud_models (by created_at), hot-swapped: a new version published
 * by the trainer (NOTIFY fraud_model_published, or the periodic poll) replaces the one in use
 * between two batches. An unusable model is logged and skipped; the previous one stays.
 */
export function createModelRepository(settings: ModelRepositorySettings): ModelRepository {
  const { pool, logger, metrics } = settings;
  const createModel = settings.createModel ?? createScoringModel;
  /** the newest version when it was found unusable: not re-parsed (and re-logged) on every poll */
  let rejectedVersion: string | undefined;

  async function load(current: ScoringModel | null | undefined): Promise<ScoringModel | null> {
    let row: Awaited<ReturnType<typeof readActiveModel>>;
    try {
      row = await readActiveModel(pool);
    } catch (error) {
      metrics.modelReloads.inc({ result: 'error' });
      throw new RepositoryError('loading the active model failed', error);
    }
    let next = current ?? null;
    if (row === undefined) {
      next = null;
    } else if (row.version !== current?.version && row.version !== rejectedVersion) {
      try {
        next = loadScoringModel(parseStoredModel(row.version, row.model), settings.featureNames, createModel);
      } catch (error) {
        rejectedVersion = row.version;
        metrics.modelReloads.inc({ result: 'invalid' });
        logger.error('skipping unusable model', { version: row.version, error: describeError(error) });
        return next;
      }
    }
    metrics.modelActive.reset();
    metrics.modelActive.set({ version: next?.version ?? 'none' }, 1);
    metrics.modelReloads.inc({ result: 'ok' });
    return next;
  }

  const reloader = createHotReloader<ScoringModel | null>({
    pool,
    channel: MODEL_PUBLISHED_CHANNEL,
    pollIntervalMs: settings.pollIntervalMs,
    load,
    onChange: (next, previous) => {
      if (next?.version !== previous?.version)
        logger.info('model in use', { version: next?.version ?? 'none' });
    },
    logger,
    what: 'model',
  });

  return {
    start: () => reloader.start(),
    stop: () => reloader.stop(),
    current: () => reloader.current() ?? null,
    reload: () => reloader.reload(),
  };
}
