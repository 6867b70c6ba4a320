/**
 * The generator's entry point as a pure function: settings → labelled payments in arrival order.
 * Event times follow the simulation; a configurable fraction arrives a little late (after
 * payments with later event times), as with real network and batching delays.
 */

import { createRandom } from '@streamkit/random';
import type { LabelledPayment } from './draft.ts';
import { toPayment } from './draft.ts';
import { GeneratorSettingsError } from './errors.ts';
import { generateLegitTimeline } from './legit.ts';
import { createPopulation } from './population.ts';
import { injectScenarios } from './scenarios.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface GeneratorSettings {
  readonly seed: number;
  readonly cards: number;
  readonly days: number;
  /** event time of the simulation's start, epoch ms */
  readonly startMs: number;
  /** injected scenario instances per card per day (default 0.003: ≈ 1 card in 50 is attacked in a week) */
  readonly fraudPerCardDay?: number;
  /** no fraud in the first hours: a detector has history on real cards; default 24 h */
  readonly warmupMs?: number;
  /** fraction of payments that arrive late (default 0.01) and by how much at most (default 30 s) */
  readonly outOfOrderFraction?: number;
  readonly maxDelayMs?: number;
  /** prefix of payment ids; defaults to one derived from seed and start, unique per stream */
  readonly paymentIdPrefix?: string;
  readonly merchantsPerCountry?: number;
  /**
   * Which slice of an endless stream this is (live mode generates day after day): the population
   * (cards, merchants) depends on the seed alone, the activity on seed and block.
   */
  readonly block?: number;
}

export function validateGeneratorSettings(s: GeneratorSettings): void {
  const problems: string[] = [];
  if (!Number.isSafeInteger(s.seed) || s.seed < 0)
    problems.push(`seed must be a non-negative integer, got ${s.seed}`);
  if (!Number.isInteger(s.cards) || s.cards < 1 || s.cards > 1_000_000)
    problems.push(`cards must be an integer 1..1000000, got ${s.cards}`);
  if (!(s.days > 0 && s.days <= 366)) problems.push(`days must be in (0, 366], got ${s.days}`);
  if (!Number.isFinite(s.startMs)) problems.push('startMs must be a finite epoch ms');
  const fraction = (name: string, v: number | undefined) => {
    if (v !== undefined && !(v >= 0 && v <= 1)) problems.push(`${name} must be in [0, 1], got ${v}`);
  };
  fraction('fraudPerCardDay', s.fraudPerCardDay);
  fraction('outOfOrderFraction', s.outOfOrderFraction);
  if (s.maxDelayMs !== undefined && !(s.maxDelayMs >= 0))
    problems.push(`maxDelayMs must be ≥ 0, got ${s.maxDelayMs}`);
  if (s.warmupMs !== undefined && !(s.warmupMs >= 0))
    problems.push(`warmupMs must be ≥ 0, got ${s.warmupMs}`);
  if (
    s.merchantsPerCountry !== undefined &&
    !(s.merchantsPerCountry >= 40 && s.merchantsPerCountry <= 100_000)
  )
    problems.push(`merchantsPerCountry must be 40..100000, got ${s.merchantsPerCountry}`);
  if (s.block !== undefined && !(Number.isInteger(s.block) && s.block >= 0))
    problems.push(`block must be a non-negative integer, got ${s.block}`);
  if (problems.length > 0) throw new GeneratorSettingsError(problems);
}

export function generatePayments(settings: GeneratorSettings): LabelledPayment[] {
  validateGeneratorSettings(settings);
  const endMs = settings.startMs + settings.days * DAY;
  const idTag = `s${settings.seed}`;
  const root = createRandom(settings.seed);
  const population = createPopulation(root.fork('population'), {
    cards: settings.cards,
    idTag,
    merchantsPerCountry: settings.merchantsPerCountry ?? 150,
  });
  const timelines = population.cards.map((card) =>
    generateLegitTimeline(
      root.fork(`${card.cardId}/${settings.block ?? 0}`),
      population,
      card,
      settings.startMs,
      endMs,
    ),
  );
  const fromMs = settings.startMs + (settings.warmupMs ?? DAY);
  const toMs = endMs - 2 * HOUR;
  const perCardDay = settings.fraudPerCardDay ?? 0.003;
  const instances = toMs > fromMs ? Math.round((settings.cards * (toMs - fromMs) * perCardDay) / DAY) : 0;
  const fraud = injectScenarios(root.fork(`fraud/${settings.block ?? 0}`), population, timelines, {
    instances,
    fromMs,
    toMs,
    idTag: `${idTag}-${settings.startMs.toString(36)}`,
  });
  const drafts = [...timelines.flatMap((t) => t.payments), ...fraud].filter((d) => d.tsMs < endMs);
  drafts.sort((a, b) => a.tsMs - b.tsMs || a.card.cardId.localeCompare(b.card.cardId));

  // arrival order: a few payments are delayed past later ones
  const arrival = root.fork(`arrival/${settings.block ?? 0}`);
  const lateFraction = settings.outOfOrderFraction ?? 0.01;
  const maxDelay = settings.maxDelayMs ?? 30_000;
  const keyed = drafts.map((draft, index) => ({
    draft,
    index,
    arrivesAt:
      draft.tsMs + (arrival.chance(lateFraction) ? arrival.uniform(1000, Math.max(1000, maxDelay)) : 0),
  }));
  keyed.sort((a, b) => a.arrivesAt - b.arrivesAt || a.index - b.index);
  const prefix = settings.paymentIdPrefix ?? `pay-${idTag}-${settings.startMs.toString(36)}`;
  return keyed.map(({ draft }, n) => ({
    payment: toPayment(draft, `${prefix}-${n}`),
    isFraud: draft.isFraud,
    scenario: draft.scenario,
    scenarioInstance: draft.scenarioInstance,
  }));
}
