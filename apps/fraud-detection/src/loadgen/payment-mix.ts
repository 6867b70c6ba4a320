import { createRandom, type Random } from '@streamkit/random';
import type { Payment } from '@streamkit/schemas';
import { COUNTRIES, type CountryInfo, MCCS, type MccInfo } from '../generator/world-data.ts';

/**
 * Load-test payments with a realistic mix, deterministic by seed: a fixed card population living
 * in countries weighted as the generator's, a skewed activity (a few cards pay often, most
 * rarely), everyday merchant categories with log-normal amounts in the home currency. Mostly
 * legitimate traffic: load tests measure the pipeline's speed, the quality tests its judgement.
 */
export interface PaymentMix {
  /** The payment for one load-test operation; its id carries the run id and operation number. */
  paymentFor(operation: number, nowMs: number): Payment;
}

interface MixCard {
  readonly cardId: string;
  readonly accountId: string;
  readonly home: CountryInfo;
  readonly merchants: readonly { readonly merchantId: string; readonly mcc: MccInfo }[];
  readonly deviceId: string;
}

export interface PaymentMixSettings {
  readonly seed: number;
  readonly cards: number;
  /** Prefix of payment ids (the loadgen run id): `${runId}-${operation}`. */
  readonly runId: string;
}

export function createPaymentMix(settings: PaymentMixSettings): PaymentMix {
  const random = createRandom(settings.seed);
  const everyday = MCCS.filter((m) => m.group !== 'high_risk');
  const homes = COUNTRIES.filter((c) => c.homeWeight > 0);
  // a card is made when first drawn (a fork depends only on the seed and its label, so the same
  // card as if all were made up front): a million-card population costs only the cards a run touches
  const cards = new Map<number, MixCard>();
  const cardAt = (index: number): MixCard => {
    let card = cards.get(index);
    if (card === undefined) {
      card = createCard(random.fork(`card-${index}`), index, settings.seed, homes, everyday);
      cards.set(index, card);
    }
    return card;
  };
  const pick = random.fork('traffic');
  return {
    paymentFor(operation, nowMs) {
      // squaring a uniform draw skews activity towards low indices: busy cards and quiet ones
      const card = cardAt(Math.floor(pick.next() ** 2 * settings.cards));
      const merchant = pick.pick(card.merchants);
      const amountEur = pick.logNormal(merchant.mcc.medianEur, merchant.mcc.sigma);
      return {
        paymentId: `${settings.runId}-${operation}`,
        cardId: card.cardId,
        accountId: card.accountId,
        merchantId: merchant.merchantId,
        mcc: merchant.mcc.mcc,
        amount: Math.max(1, Math.round(amountEur * card.home.perEur * 100)),
        currency: card.home.currency,
        country: card.home.code,
        ...(merchant.mcc.online ? { deviceId: card.deviceId } : {}),
        ts: new Date(nowMs).toISOString(),
      };
    },
  };
}

function createCard(
  random: Random,
  index: number,
  seed: number,
  homes: readonly CountryInfo[],
  mccs: readonly MccInfo[],
): MixCard {
  const home = random.weighted(homes, (c) => c.homeWeight);
  const merchants = Array.from({ length: random.int(3, 8) }, () => {
    const mcc = random.weighted(mccs, (m) => m.weight);
    return { merchantId: `lg-m-${home.code}-${mcc.mcc}-${random.int(1, 40)}`, mcc };
  });
  return {
    cardId: `lg-card-${seed}-${index}`,
    accountId: `lg-acct-${seed}-${Math.floor(index / 2)}`,
    home,
    merchants,
    deviceId: `lg-dev-${seed}-${index}`,
  };
}
