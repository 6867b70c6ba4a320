/**
 * Injected fraud, as it looks in the wild (see README.md). Each instance takes over one card for a
 * short while; all of its payments are labelled fraud with the scenario's name and instance id.
 * The card's owner keeps paying as usual around it.
 */

import type { Random } from '@streamkit/random';
import type { DraftPayment, ScenarioName } from './draft.ts';
import { drawAmount } from './draft.ts';
import type { CardTimeline } from './legit.ts';
import { locationAt } from './legit.ts';
import { type Card, ipFor, type Merchant, type Population } from './population.ts';
import { COUNTRIES, type CountryInfo, cityDistanceKm } from './world-data.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

interface Attack {
  readonly random: Random;
  readonly population: Population;
  readonly timeline: CardTimeline;
  readonly instance: string;
  readonly scenario: ScenarioName;
  readonly startMs: number;
}

/** With a device the payment is card-not-present (online): billed in the card's own currency. */
type Draft = (
  tsMs: number,
  merchant: Merchant,
  where: CountryInfo,
  amountMajor: number,
  device?: { deviceId: string; ip: string },
) => DraftPayment;

function drafter(attack: Attack): Draft {
  const card = attack.timeline.card;
  return (tsMs, merchant, where, amountMajor, device) => ({
    tsMs,
    card,
    merchant,
    country: where,
    amountMajor,
    currency: merchant.mcc.online || device !== undefined ? card.home.currency : where.currency,
    ...(device ?? {}),
    isFraud: true,
    scenario: attack.scenario,
    scenarioInstance: attack.instance,
  });
}

/** A fraudster's own device and an IP address in their country. */
function attackerDevice(attack: Attack, where: CountryInfo) {
  return { deviceId: `dev-${attack.instance}`, ip: ipFor(attack.random, where) };
}

/** A few payments of 0.50–2.00 (EUR equivalent) at online shops seconds apart, then a large one minutes later. */
function cardTesting(attack: Attack): DraftPayment[] {
  const { random, population, timeline } = attack;
  const card = timeline.card;
  const draft = drafter(attack);
  const where = random.chance(0.5)
    ? card.home
    : random.pick(COUNTRIES.filter((c) => c.code !== card.home.code));
  const device = attackerDevice(attack, where);
  const shop = random.pick(population.merchantsOfGroup(where.code, 'online'));
  const out: DraftPayment[] = [];
  let t = attack.startMs;
  const tests = random.int(3, 8);
  for (let i = 0; i < tests; i++) {
    out.push(
      draft(
        t,
        random.chance(0.7) ? shop : random.pick(population.merchantsOfGroup(where.code, 'online')),
        where,
        random.uniform(0.5, 2) * card.home.perEur,
        device,
      ),
    );
    t += random.uniform(10, 120) * SECOND;
  }
  const cashOut = random.pick([
    ...population.merchantsIn(where.code, '5732'),
    ...population.merchantsIn(where.code, '5944'),
  ]);
  t += random.uniform(1, 10) * MINUTE;
  out.push(draft(t, cashOut, where, random.uniform(300, 2500) * card.home.perEur, device));
  return out;
}

/** A cloned card used in shops far away, shortly after the owner paid at home. */
function impossibleTravel(attack: Attack): DraftPayment[] {
  const { random, population, timeline } = attack;
  const card = timeline.card;
  const draft = drafter(attack);
  const far = COUNTRIES.filter((c) => cityDistanceKm(c, card.home) > 2500);
  const where = random.pick(far);
  // anchor on the owner's last payment at home before the attack
  const anchor = [...timeline.payments]
    .reverse()
    .find((p) => p.tsMs <= attack.startMs && p.country.code === card.home.code);
  let t = (anchor?.tsMs ?? attack.startMs) + random.uniform(15, 120) * MINUTE;
  const out: DraftPayment[] = [];
  const count = random.int(1, 3);
  for (let i = 0; i < count; i++) {
    const mcc = random.pick(['5732', '5944', '5311', '5651', '5541']);
    const shop = random.pick(population.merchantsIn(where.code, mcc));
    out.push(draft(t, shop, where, drawAmount(random, random.uniform(150, 900), 0.4, where)));
    t += random.uniform(3, 25) * MINUTE;
  }
  return out;
}

/** A stolen card spent fast: many payments within minutes, or a large sum within the hour. */
function velocityBurst(attack: Attack): DraftPayment[] {
  const { random, population, timeline } = attack;
  const card = timeline.card;
  const draft = drafter(attack);
  const where = card.home;
  const out: DraftPayment[] = [];
  let t = attack.startMs;
  if (random.chance(0.5)) {
    const count = random.int(5, 12);
    for (let i = 0; i < count; i++) {
      const group = random.pick(['everyday', 'shopping', 'shopping'] as const);
      const shop = random.pick(population.merchantsOfGroup(where.code, group));
      out.push(draft(t, shop, where, drawAmount(random, 60, 0.8, where)));
      t += random.uniform(8, 45) * SECOND;
    }
  } else {
    const count = random.int(4, 7);
    for (let i = 0; i < count; i++) {
      const shop = random.pick([
        ...population.merchantsIn(where.code, '5732'),
        ...population.merchantsIn(where.code, '5944'),
      ]);
      out.push(draft(t, shop, where, random.uniform(250, 1200) * where.perEur));
      t += random.uniform(5, 15) * MINUTE;
    }
  }
  return out;
}

/** An account takeover cashing out through gambling, crypto or money transfer, never used by this card before. */
function highRiskFirstUse(attack: Attack): DraftPayment[] {
  const { random, population, timeline } = attack;
  const card = timeline.card;
  const draft = drafter(attack);
  const mcc = random.pick(['7995', '6051', '4829']);
  const where = random.chance(0.6)
    ? card.home
    : random.pick(COUNTRIES.filter((c) => c.code !== card.home.code));
  const shop = random.pick(population.merchantsIn(card.home.code, mcc));
  const device = attackerDevice(attack, where);
  const out: DraftPayment[] = [];
  let t = attack.startMs;
  const count = random.int(1, 3);
  for (let i = 0; i < count; i++) {
    out.push(draft(t, shop, where, drawAmount(random, 400, 0.6, card.home), device));
    t += random.uniform(3, 30) * MINUTE;
  }
  return out;
}

const BUILDERS: Record<ScenarioName, (attack: Attack) => DraftPayment[]> = {
  card_testing: cardTesting,
  impossible_travel: impossibleTravel,
  velocity_burst: velocityBurst,
  high_risk_mcc_first_use: highRiskFirstUse,
};

export interface InjectionSettings {
  readonly instances: number;
  readonly fromMs: number;
  readonly toMs: number;
  readonly idTag: string;
}

/** Picks distinct cards at home and injects `instances` scenarios, cycling through the four kinds. */
export function injectScenarios(
  random: Random,
  population: Population,
  timelines: readonly CardTimeline[],
  settings: InjectionSettings,
): DraftPayment[] {
  const out: DraftPayment[] = [];
  const used = new Set<Card>();
  const kinds = Object.keys(BUILDERS) as ScenarioName[];
  for (let i = 0; i < settings.instances && used.size < timelines.length; i++) {
    const scenario = kinds[i % kinds.length] ?? 'card_testing';
    let timeline: CardTimeline;
    let startMs: number;
    let attempts = 0;
    do {
      timeline = random.pick(timelines);
      startMs = random.uniform(settings.fromMs, settings.toMs);
      attempts++;
    } while (
      attempts < 100 &&
      (used.has(timeline.card) ||
        locationAt(timeline.card, timeline.trips, startMs) !== timeline.card.home ||
        (scenario === 'high_risk_mcc_first_use' && timeline.card.highRiskHabit !== null))
    );
    used.add(timeline.card);
    const instance = `fraud-${settings.idTag}-${i}`;
    const drafts = BUILDERS[scenario]({
      random: random.fork(instance),
      population,
      timeline,
      instance,
      scenario,
      startMs,
    });
    out.push(...drafts.filter((d) => d.tsMs < settings.toMs + 2 * HOUR));
  }
  return out;
}
