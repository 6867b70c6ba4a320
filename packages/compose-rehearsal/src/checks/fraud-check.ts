import { expectStatus, type IngressCheck, request, until } from './ingress-check.ts';

/**
 * fraud: a payment POSTed to the gateway (port 8080) → the detector's decision, read back from the
 * gateway, scored by a trained model (fraud-model-init's): "modelVersion" "none" means rules alone.
 */
export const fraudCheck: IngressCheck = {
  profile: 'fraud',
  describe: 'a payment POSTed to fraud-gateway → its decision, by a trained model',
  path: ['fraud-gateway', 'fraud-detector'],
  traced: ['fraud-gateway', 'fraud-detector'],
  async run(context) {
    const gateway = `http://${context.published('fraud-gateway', 8080)}`;
    const headers = { 'x-api-key': context.environment('fraud-gateway').GATEWAY_API_KEY ?? '' };
    const paymentId = `rehearsal-${context.id}`;
    const payment = {
      paymentId,
      cardId: `card-${context.id}`,
      accountId: `account-${context.id}`,
      merchantId: 'm-rehearsal',
      mcc: '5411',
      amount: 2450,
      currency: 'EUR',
      country: 'DE',
      ts: new Date().toISOString(),
    };
    expectStatus(
      'POST /payments',
      await request('POST', `${gateway}/payments`, { headers, body: payment }),
      202,
    );
    const decided = await until('the decision', context.timeoutMs, async () => {
      const answer = await request('GET', `${gateway}/payments/${paymentId}?waitMs=5000`, { headers });
      if (answer.status === 404) return undefined;
      expectStatus(`GET /payments/${paymentId}`, answer, 200);
      return answer.body as { decision?: { decision?: string; score?: number; modelVersion?: string } };
    });
    const model = decided.decision?.modelVersion;
    if (model === undefined || model === 'none')
      throw new Error(`payment ${paymentId} was decided without a trained model (modelVersion ${model})`);
    return `payment ${paymentId} → decision ${decided.decision?.decision} (score ${decided.decision?.score}, model ${model})`;
  },
};
