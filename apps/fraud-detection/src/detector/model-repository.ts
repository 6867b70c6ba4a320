import type { Logger } from '@streamkit/runtime';
import type { Pool } from 'pg';
import type { ScoringModel, StoredModel } from '../domain/contracts.ts';
import { createScoringModel } from '../domain/model/scoring-model.ts';
import type { DetectorMetrics } from './detector-metrics.ts';
import { RepositoryError } from './errors.ts';
import { createPgListener } from './pg-listener.ts';
import { createSerialReloader } from './serial-reloader.ts';
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
  let model: ScoringModel | null = null;
  /** the newest version when it was found unusable: not re-parsed (and re-logged) on every poll */
  let rejectedVersion: string | undefined;
  let timer: NodeJS.Timeout | undefined;

  function activate(next: ScoringModel | null): void {
    metrics.modelActive.reset();
    metrics.modelActive.set({ version: next?.version ?? 'none' }, 1);
    if (next?.version !== model?.version) logger.info('model in use', { version: next?.version ?? 'none' });
    model = next;
  }

  async function load(): Promise<void> {
    let rows: { version: string; model: unknown }[];
    try {
      ({ rows } = await pool.query<{ version: string; model: unknown }>(
        `select version, model from fraud_models where active
         order by created_at desc, version desc limit 1`,
      ));
    } catch (error) {
      metrics.modelReloads.inc({ result: 'error' });
      throw new RepositoryError('loading the active model failed', error);
    }
    const row = rows[0];
    if (row === undefined) {
      activate(null);
    } else if (row.version !== model?.version && row.version !== rejectedVersion) {
      try {
        const stored = parseStoredModel(row.version, row.model);
        activate(loadScoringModel(stored, settings.featureNames, createModel));
      } catch (error) {
        rejectedVersion = row.version;
        metrics.modelReloads.inc({ result: 'invalid' });
        logger.error('skipping unusable model', { version: row.version, error: (error as Error).message });
        return;
      }
    }
    metrics.modelReloads.inc({ result: 'ok' });
  }

  const reload = createSerialReloader(load);
  const reloadLogged = () => {
    reload().catch((error: unknown) =>
      logger.warn('model reload failed; keeping the current one', { error: describe(error) }),
    );
  };
  const listener = createPgListener({
    pool,
    channels: [MODEL_PUBLISHED_CHANNEL],
    onNotification: reloadLogged,
    onConnected: reloadLogged,
    logger,
  });

  return {
    async start() {
      await reload();
      await listener.start();
      timer = setInterval(reloadLogged, settings.pollIntervalMs);
      timer.unref();
    },
    async stop() {
      if (timer !== undefined) clearInterval(timer);
      await listener.stop();
    },
    current: () => model,
    reload,
  };
}

function describe(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${(error as Error).message}${cause}`;
}
