import type { UserEvent } from '@streamkit/schemas';
import type { Pool } from 'pg';
import { loadCatalogIndex } from '../catalog/index.ts';
import type { ScoringModel } from '../domain/model.ts';
import { evaluateOffline, type OfflineEvaluation } from '../domain/offline-evaluation.ts';
import { buildExamples, fitScoringModel } from '../domain/train.ts';
import { readEvents } from '../features/event-log.ts';
import { saveModel, type TrainedOn } from '../recommender/model-store.ts';
import { itemSimilarity } from './similarity.ts';

export interface TrainingSettings {
  /** Refuse to train on fewer events (a model from a handful of events is noise). */
  minEvents: number;
  /** The newest fraction of events held out for evaluation (time-based split). */
  heldOutFraction: number;
  similarityTopK: number;
  /** Defaults to a time-based version ("v20260301T120000Z"). */
  version?: string;
}

export const defaultTrainingSettings: TrainingSettings = {
  minEvents: 500,
  heldOutFraction: 0.2,
  similarityTopK: 20,
};

export class TrainingError extends Error {
  override name = 'TrainingError';
}

export interface TrainingReport {
  model: ScoringModel;
  evaluation: OfflineEvaluation;
  trainedOn: TrainedOn;
}

/** The time at which the newest `fraction` of (time-sorted) events begins. */
export function splitTime(events: readonly UserEvent[], fraction: number): number {
  const index = Math.min(events.length - 1, Math.max(0, Math.floor(events.length * (1 - fraction))));
  return Date.parse((events[index] as UserEvent).ts);
}

/**
 * Trains from the offline store: time-based split into history and held-out period; the scoring
 * model learns from the history alone (features before an inner cutoff, labels after it), is
 * evaluated on the held-out period against the popularity baseline, and is stored as a new version.
 */
export async function runTraining(
  pool: Pool,
  settings: TrainingSettings = defaultTrainingSettings,
  log: (line: string) => void = () => undefined,
  now: () => Date = () => new Date(),
): Promise<TrainingReport> {
  if (!(settings.heldOutFraction > 0 && settings.heldOutFraction < 1)) {
    throw new TrainingError(`heldOutFraction must be in (0, 1), got ${settings.heldOutFraction}`);
  }
  const events = await readEvents(pool, 0, Date.UTC(9999, 0, 1));
  if (events.length < settings.minEvents) {
    throw new TrainingError(
      `need at least ${settings.minEvents} events in the offline store, found ${events.length}`,
    );
  }
  const catalog = await loadCatalogIndex(pool);
  const split = splitTime(events, settings.heldOutFraction);
  const history = events.filter((e) => Date.parse(e.ts) < split);
  const heldOut = events.filter((e) => Date.parse(e.ts) >= split);
  const innerCutoff = splitTime(history, settings.heldOutFraction);
  const examples = buildExamples(history, innerCutoff, catalog);
  const version =
    settings.version ??
    `v${now()
      .toISOString()
      .replace(/[-:]|\.\d+/g, '')}`;
  log(
    `training ${version}: ${events.length} events, split at ${new Date(split).toISOString()}, ${examples.length} examples`,
  );
  const model = fitScoringModel(examples, version);
  log(`evaluating ${version} on the held-out period against the popularity baseline`);
  const evaluation = evaluateOffline(history, heldOut, model, catalog);
  log(
    `held-out ${evaluation.model.users} users: hit-rate@10 ${evaluation.model.hitRateAt10.toFixed(3)} (baseline ${evaluation.popularityBaseline.hitRateAt10.toFixed(3)}, lift ${evaluation.lift.toFixed(2)}x), NDCG@10 ${evaluation.model.ndcgAt10.toFixed(3)} (baseline ${evaluation.popularityBaseline.ndcgAt10.toFixed(3)})`,
  );
  const trainedOn: TrainedOn = {
    events: events.length,
    examples: examples.length,
    fromTs: (events[0] as UserEvent).ts,
    toTs: (events.at(-1) as UserEvent).ts,
    splitTs: new Date(split).toISOString(),
  };
  log(`storing ${version} with its item similarity (top ${settings.similarityTopK} per product)`);
  await saveModel(pool, model, evaluation, trainedOn, itemSimilarity(events, settings.similarityTopK));
  log(`stored model ${version}`);
  return { model, evaluation, trainedOn };
}
