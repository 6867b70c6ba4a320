/**
 * Throughput of the per-payment step, as the detector runs it: parse the card state from JSON,
 * decide, serialize the state back (Redis round trip without the network). A benchmark, not a test:
 *   node src/domain/benchmark.ts [payments=200000] [cards=5000]
 * Payments are synthetic (a fixed-seed LCG): everyday amounts, a few countries, some online.
 */
import type { Payment } from '@streamkit/schemas';
import { emptyCardState } from './card-state.ts';
import { decodeCardState, encodeCardState } from './card-state-codec.ts';
import { createDecisionEngine } from './decide.ts';
import { defaultRules } from './rules/defaults.ts';
import { decidePayment } from './step.ts';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function synthesize(count: number, cards: number): Payment[] {
  const random = lcg(42);
  const countries = ['DE', 'DE', 'DE', 'FR', 'GB', 'US'] as const;
  const mccs = ['5411', '5812', '5541', '5999', '5732', '7995'];
  const start = Date.parse('2026-03-02T00:00:00Z');
  const out: Payment[] = [];
  for (let i = 0; i < count; i++) {
    const card = Math.floor(random() * cards);
    const online = random() < 0.2;
    out.push({
      paymentId: `b-${i}`,
      cardId: `card-${card}`,
      accountId: `acct-${card}`,
      merchantId: `m-${Math.floor(random() * 500)}`,
      mcc: mccs[Math.floor(random() * mccs.length)] as string,
      amount: Math.round(100 + Math.exp(random() * 8) * 10),
      currency: 'EUR',
      country: countries[Math.floor(random() * countries.length)] as Payment['country'],
      ...(online ? { deviceId: `dev-${card}-${Math.floor(random() * 2)}` } : {}),
      // a day's worth of payments, so windows fill and evict as in production
      ts: new Date(start + Math.floor((i / count) * 86_400_000)).toISOString(),
    });
  }
  return out;
}

const payments = Number(process.argv[2] ?? 200_000);
const cards = Number(process.argv[3] ?? 5_000);
const input = synthesize(payments, cards);
const engine = createDecisionEngine({ rules: defaultRules, model: null });
const stored = new Map<string, string>();
const options = { allowedLatenessMs: 5 * 60_000, now: () => new Date() };
const t0 = performance.now();
for (const payment of input) {
  const raw = stored.get(payment.cardId);
  const before =
    raw === undefined ? emptyCardState() : (decodeCardState(JSON.parse(raw)) ?? emptyCardState());
  const result = decidePayment(before, payment, engine, options);
  stored.set(payment.cardId, encodeCardState(result.stateAfter));
}
const seconds = (performance.now() - t0) / 1000;
let bytes = 0;
for (const v of stored.values()) bytes += v.length;
console.log(
  `${payments} payments over ${cards} cards in ${seconds.toFixed(2)} s: ${Math.round(payments / seconds)} payments/s ` +
    `(${((seconds * 1e6) / payments).toFixed(1)} µs each, one thread); mean state ${Math.round(bytes / stored.size)} B stored`,
);
