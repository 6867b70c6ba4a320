/**
 * `pnpm loadgen fraud`: payments POSTed to a running gateway on the open-loop schedule; latency runs
 * from each payment's intended send time to its decision in the gateway's answer (`POST
 * /payments?waitMs=`, the client's path to it; default) or on the decisions topic
 * (`--decisions topic`, read_committed: the figures of BENCHMARKS.md before issue #15).
 */
import { env, loadConfig } from '@streamkit/config';
import { createKafka, runConsumer } from '@streamkit/kafka';
import { defineScenario, type ScenarioContext } from '@streamkit/loadgen';
import type { Logger } from '@streamkit/runtime';
import type { Decision } from '@streamkit/schemas';
import { fraudTopics } from '../common/topics.ts';
import { demoGatewayApiKey } from '../demo.ts';
import { createGatewayClient } from './gateway-client.ts';
import { createPaymentMix } from './payment-mix.ts';

const options = {
  'gateway-url': { type: 'string', default: 'http://127.0.0.1:8080', description: 'the payment gateway' },
  'topic-prefix': {
    type: 'string',
    default: '',
    description: 'KAFKA_TOPIC_PREFIX of the pipeline under test (decisions are read from its topic)',
  },
  decisions: {
    type: 'string',
    default: 'answer',
    choices: ['answer', 'topic'],
    description:
      "where a payment's decision is seen: the gateway's answer to POST ?waitMs= (answer) or the decisions topic, read_committed (topic)",
  },
  'wait-ms': {
    type: 'int',
    default: 10_000,
    min: 1,
    max: 120_000,
    description:
      'with --decisions answer: how long the gateway holds a POST for its decision (then GET long-polls)',
  },
  cards: { type: 'int', default: 10_000, min: 1, max: 1_000_000, description: 'distinct cards in the mix' },
  seed: { type: 'int', default: 1, min: 0, max: 2_147_483_647, description: 'seed of the payment mix' },
  // with --decisions answer a POST holds its socket until the decision (Little: 2,000/s × 50 ms =
  // 100 busy); 64 capped the rate near 1,500/s, where latency rose and queued behind the sockets
  connections: {
    type: 'int',
    default: 512,
    min: 1,
    max: 10_000,
    description: 'keep-alive sockets to the gateway',
  },
  'request-timeout-ms': { type: 'int', default: 10_000, min: 100, max: 120_000, description: 'per POST' },
  'retry-for-ms': {
    type: 'int',
    default: 60_000,
    min: 0,
    max: 600_000,
    description: 'how long a payment answered 503 (outcome unknown) is retried with the same paymentId',
  },
} as const;

export const fraudScenario = defineScenario({
  name: 'fraud',
  description:
    "payments through the fraud gateway, latency to their decision (the gateway's answer or payments.decisions)",
  options,
  async setup(ctx) {
    const { runId, clock, environment } = ctx;
    const o = ctx.options;
    const config = loadConfig({ apiKey: env.secret('GATEWAY_API_KEY', { optional: true }) });
    if (config.apiKey === undefined)
      ctx.log('GATEWAY_API_KEY unset: using the demo key of `pnpm demo fraud`');
    const apiKey = config.apiKey ?? demoGatewayApiKey;
    await expectHealthyGateway(o['gateway-url']);

    const outcomes: Record<Decision, number> = { approve: 0, review: 0, decline: 0 };
    const mix = createPaymentMix({ seed: o.seed, cards: o.cards, runId });
    const client = createGatewayClient({
      baseUrl: o['gateway-url'],
      apiKey,
      connections: o.connections,
      timeoutMs: Math.max(o['request-timeout-ms'], o['wait-ms'] + 5_000),
      retryForMs: o['retry-for-ms'],
      signal: ctx.signal,
    });
    const summary = () =>
      `decisions: ${outcomes.approve} approve, ${outcomes.review} review, ${outcomes.decline} decline`;

    if (o.decisions === 'answer') {
      ctx.log(`posting to ${o['gateway-url']}, each POST waiting up to ${o['wait-ms']} ms for its decision`);
      return {
        // a 503 means "outcome unknown": retried with the same paymentId, its decision counts once
        send: async (operation, intendedAtNs) => {
          const payment = mix.paymentFor(operation, clock.epochMsAt(intendedAtNs));
          const decision = await client.decidePayment(payment, o['wait-ms'], () =>
            ctx.recordRetry(operation),
          );
          outcomes[decision]++;
          ctx.recordLatency({ operation, endNs: clock.nowNs() });
        },
        async teardown() {
          await client.close();
          ctx.log(summary());
        },
      };
    }

    const topics = fraudTopics(o['topic-prefix']);
    const kafka = createKafka({
      brokers: environment.kafkaBrokers,
      client: environment.kafkaClient ?? 'kafkajs',
      clientId: `${environment.kafkaClientId}-loadgen-fraud-${runId}`,
      logger: loggerFor(ctx),
    });
    const ownPrefix = `${runId}-`;
    const consumer = await runConsumer(kafka, {
      groupId: `loadgen-fraud-${runId}`,
      topic: topics.decisions,
      fromBeginning: false,
      isolation: 'read_committed',
      maxBatchSize: 1000,
      fetchMaxWaitMs: 50,
      partitionsConsumedConcurrently: 8,
      async handleBatch(messages) {
        const endNs = clock.nowNs();
        for (const { value } of messages) {
          if (!value.paymentId.startsWith(ownPrefix)) continue;
          const operation = Number(value.paymentId.slice(ownPrefix.length));
          if (!Number.isSafeInteger(operation)) continue;
          outcomes[value.decision]++;
          ctx.recordLatency({ operation, endNs });
        }
      },
    });
    consumer.done.catch((error: unknown) => {
      ctx.recordError('consumer-crashed');
      ctx.log(`decision consumer crashed: ${error instanceof Error ? error.message : String(error)}`);
    });

    ctx.log(`posting to ${o['gateway-url']}, reading decisions from ${topics.decisions.name}`);

    return {
      // ts = the intended send time, so the pipeline's own end-to-end metric agrees with ours
      // a 503 means "outcome unknown": retried with the same paymentId, its decision counts once,
      // as completed after retry (not as a duplicate of a failed POST)
      send: (operation, intendedAtNs) =>
        client.postPayment(mix.paymentFor(operation, clock.epochMsAt(intendedAtNs)), () =>
          ctx.recordRetry(operation),
        ),
      async teardown() {
        await client.close();
        await consumer.stop();
        ctx.log(summary());
      },
    };
  },
});

async function expectHealthyGateway(baseUrl: string): Promise<void> {
  const url = new URL('/health', baseUrl).href;
  let status: number;
  try {
    status = (await fetch(url, { signal: AbortSignal.timeout(5000) })).status;
  } catch (error) {
    throw new Error(`gateway not reachable at ${url} (start it with \`pnpm demo fraud\`)`, { cause: error });
  }
  if (status !== 200) throw new Error(`gateway at ${url} is not healthy (HTTP ${status})`);
}

function loggerFor(ctx: ScenarioContext<unknown>): Logger {
  const line = (level: string) => (message: string) => ctx.log(`kafka ${level}: ${message}`);
  return { error: line('error'), warn: line('warn'), info: () => {}, debug: () => {} };
}
