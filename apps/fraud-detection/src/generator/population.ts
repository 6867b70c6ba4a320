/**
 * The simulated population: merchants per country (each with one MCC) and cardholders (home
 * country, favourite merchants, spending level, habits). Everything derives from the seed.
 */

import type { Random } from '@streamkit/random';
import { MCCS, type MccInfo } from './merchant-categories.ts';
import { COUNTRIES, type CountryInfo } from './world-data.ts';

export interface Merchant {
  readonly merchantId: string;
  readonly country: CountryInfo;
  readonly mcc: MccInfo;
}

export interface Card {
  readonly cardId: string;
  readonly accountId: string;
  readonly home: CountryInfo;
  /** multiplies every amount: some people spend more */
  readonly spendingLevel: number;
  /** mean payments per day */
  readonly dailyRate: number;
  /** the merchants this person returns to, most used first */
  readonly favourites: readonly Merchant[];
  /** expected trips abroad per year */
  readonly tripsPerYear: number;
  /** probability per day of an unusually large purchase at a merchant not in the favourites */
  readonly bigPurchasePerDay: number;
  /** the person's own devices for online payments */
  readonly deviceIds: readonly string[];
  readonly ip: string;
  /** a legitimate user of a high-risk category (gambling, crypto, money transfer), or not */
  readonly highRiskHabit: MccInfo | null;
}

export interface Population {
  readonly cards: readonly Card[];
  /** merchants by country code, then by MCC */
  merchantsIn(country: string, mcc: string): readonly Merchant[];
  merchantsOfGroup(country: string, group: MccInfo['group']): readonly Merchant[];
}

export interface PopulationSettings {
  readonly cards: number;
  /** distinguishes ids of different seeds sharing one database */
  readonly idTag: string;
  readonly merchantsPerCountry: number;
}

export function createPopulation(random: Random, settings: PopulationSettings): Population {
  const byKey = new Map<string, Merchant[]>();
  const byGroup = new Map<string, Merchant[]>();
  for (const country of COUNTRIES) {
    // every category exists everywhere; the rest follows the categories' weights
    const mccs = [
      ...MCCS,
      ...Array.from({ length: settings.merchantsPerCountry - MCCS.length }, () =>
        random.weighted(MCCS, (m) => m.weight),
      ),
    ];
    mccs.forEach((mcc, index) => {
      const merchant: Merchant = {
        merchantId: `m-${country.code.toLowerCase()}-${settings.idTag}-${index}`,
        country,
        mcc,
      };
      push(byKey, `${country.code}/${mcc.mcc}`, merchant);
      push(byGroup, `${country.code}/${mcc.group}`, merchant);
    });
  }
  const merchantsIn = (country: string, mcc: string) => byKey.get(`${country}/${mcc}`) ?? [];
  const merchantsOfGroup = (country: string, group: MccInfo['group']) =>
    byGroup.get(`${country}/${group}`) ?? [];

  const homes = COUNTRIES.filter((c) => c.homeWeight > 0);
  const highRisk = MCCS.filter((m) => m.group === 'high_risk');
  const cards: Card[] = [];
  for (let i = 0; i < settings.cards; i++) {
    const home = random.weighted(homes, (c) => c.homeWeight);
    const favouriteCount = random.int(6, 16);
    const favourites: Merchant[] = [];
    const everyday = MCCS.filter((m) => m.weight > 0);
    for (let f = 0; f < favouriteCount; f++) {
      const mcc = random.weighted(everyday, (m) => m.weight);
      const candidates = merchantsIn(home.code, mcc.mcc);
      const merchant = random.pick(candidates);
      if (!favourites.includes(merchant)) favourites.push(merchant);
    }
    // about 3 % of people gamble, trade crypto or send money abroad now and then: legitimately
    const highRiskHabit = random.chance(0.03) ? random.pick(highRisk) : null;
    if (highRiskHabit) favourites.push(random.pick(merchantsIn(home.code, highRiskHabit.mcc)));
    const deviceCount = random.int(1, 2);
    cards.push({
      cardId: `card-${settings.idTag}-${i}`,
      accountId: `acct-${settings.idTag}-${random.chance(0.1) && i > 0 ? i - 1 : i}`,
      home,
      spendingLevel: random.logNormal(1, 0.5),
      dailyRate: Math.min(12, random.logNormal(2.2, 0.5)),
      favourites,
      tripsPerYear: random.chance(0.25) ? random.uniform(6, 15) : random.uniform(0, 3),
      bigPurchasePerDay: random.uniform(0.005, 0.03),
      deviceIds: Array.from({ length: deviceCount }, (_, d) => `dev-${settings.idTag}-${i}-${d}`),
      ip: ipFor(random, home),
      highRiskHabit,
    });
  }
  return { cards, merchantsIn, merchantsOfGroup };
}

/** An IPv4 address in a per-country block, so one country's users share a prefix. */
export function ipFor(random: Random, country: CountryInfo): string {
  const block = COUNTRIES.indexOf(country) + 11;
  return `${block}.${random.int(0, 255)}.${random.int(0, 255)}.${random.int(1, 254)}`;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
