import { describe, expect, it } from 'vitest';
import { createPaymentMix } from './payment-mix.ts';

describe('createPaymentMix', () => {
  it('draws the same payments for a seed as when every card was made up front', () => {
    // recorded from the version that built all 50,000 cards before the first payment
    const recorded = [
      ['lg-card-7-2348', 'lg-m-AU-4111-12', 591, 'AUD', null],
      ['lg-card-7-26422', 'lg-m-GB-4814-31', 3189, 'GBP', 'lg-dev-7-26422'],
      ['lg-card-7-841', 'lg-m-US-5999-20', 7285, 'USD', 'lg-dev-7-841'],
      ['lg-card-7-15495', 'lg-m-JP-4111-22', 67516, 'JPY', null],
      ['lg-card-7-4205', 'lg-m-US-4121-5', 2443, 'USD', null],
    ];
    const mix = createPaymentMix({ seed: 7, cards: 50_000, runId: 'r' });
    const sampled: unknown[] = [];
    for (let operation = 0; operation < 2000; operation++) {
      const p = mix.paymentFor(operation, 0);
      if (operation % 400 === 0)
        sampled.push([p.cardId, p.merchantId, p.amount, p.currency, p.deviceId ?? null]);
    }
    expect(sampled).toEqual(recorded);
  });
});
