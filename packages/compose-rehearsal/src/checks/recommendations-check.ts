import { expectStatus, type IngressCheck, request, until } from './ingress-check.ts';

/**
 * recommendations: a new shopper's views POSTed to recs-web (port 8070, as a trusted sender) → the
 * shopper's personal recommendations, served by recs-web from the cache the recommender fills, ranked
 * by a trained model (recs-model-init's): "modelVersion" default-0 is the untrained fallback.
 */
export const recommendationsCheck: IngressCheck = {
  profile: 'recommendations',
  describe: "a new shopper's views POSTed to recs-web → personal recommendations, by a trained model",
  path: ['recs-web', 'recs-features', 'recs-recommender'],
  traced: ['recs-web', 'recs-features'],
  async run(context) {
    const web = `http://${context.published('recs-web', 8070)}`;
    const headers = { 'x-api-key': context.environment('recs-web').WEB_EVENTS_API_KEY ?? '' };
    const userId = `rehearsal-${context.id}`;
    // three products of the seeded catalog (products p-000000 … p-009999)
    const events = ['p-000042', 'p-000062', 'p-000082'].map((productId, i) => ({
      eventId: `rehearsal-${context.id}-${i}`,
      type: 'view',
      userId,
      sessionId: `session-${context.id}`,
      productId,
      ts: new Date().toISOString(),
    }));
    expectStatus('POST /events', await request('POST', `${web}/events`, { headers, body: events }), 202);
    const answer = await until('personal recommendations', context.timeoutMs, async () => {
      const got = await request('GET', `${web}/recommendations/${userId}`);
      expectStatus(`GET /recommendations/${userId}`, got, 200);
      const body = got.body as { source?: string; modelVersion?: string; items?: { productId: string }[] };
      return body.source === 'personal' ? body : undefined;
    });
    const model = answer.modelVersion;
    if (model === undefined || model === 'default-0' || model === 'none')
      throw new Error(`shopper ${userId} was recommended without a trained model (modelVersion ${model})`);
    return `shopper ${userId}: ${answer.items?.length ?? 0} personal recommendations (first ${answer.items?.[0]?.productId}, model ${model})`;
  },
};
