// `pnpm chaos fraud`: the fraud pipeline under seeded faults (registered in package.json).
import type { AcceptedLoad, ChaosPlan, ChaosServiceSpec, OutputCheck } from '@streamkit/chaos';
import { readWholeTopic, sampleNote } from '@streamkit/chaos';
import { withPool } from '@streamkit/postgres';
import { fraudTopics } from './common/topics.ts';
import { demoAlertsApiKey, demoGatewayApiKey, pipelineService, preparePipeline } from './demo.ts';
import { fraudScenario } from './loadgen/fraud-scenario.ts';

const topics = fraudTopics('');

function service(name: 'detector' | 'alerts' | 'gateway', replicable: boolean): ChaosServiceSpec {
  return {
    name,
    replicable,
    instance: (port: number, replica: number) =>
      pipelineService(name, port, {
        env: () => ({
          GATEWAY_API_KEY: demoGatewayApiKey,
          ALERTS_API_KEY: demoAlertsApiKey,
          // stable per replica (a restarted detector keeps its transactional id; a second one has its own)
          ...(name === 'detector' ? { DETECTOR_INSTANCE_ID: `chaos-detector-${replica}` } : {}),
          ...(name === 'gateway' ? { INSTANCE_ID: `chaos-gateway-${replica}` } : {}),
        }),
        readyTimeoutMs: 120_000,
      }),
  };
}

/** Counts per payment id of this run's payments in one topic. */
async function countByPayment(
  topic: string,
  brokers: readonly string[],
  load: AcceptedLoad,
  signal: AbortSignal,
  also?: (value: { paymentId: string; decision?: string }) => void,
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const ownPrefix = `${load.runId}-`;
  await readWholeTopic({
    brokers,
    topic,
    signal,
    onValue(raw) {
      const value = JSON.parse(raw.toString('utf8')) as { paymentId: string; decision?: string };
      if (!value.paymentId.startsWith(ownPrefix)) return;
      counts.set(value.paymentId, (counts.get(value.paymentId) ?? 0) + 1);
      also?.(value);
    },
  });
  return counts;
}

const duplicatesIn = (counts: Map<string, number>) =>
  [...counts.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);

export default {
  pipeline: 'fraud',
  needs: ['kafka', 'postgres', 'redis'],
  redis: {
    holds:
      "fraud:card:* (each card's velocity windows, last location, known merchants, amount statistics: the detector's keyed state), fraud:payment:* (the gateway's idempotency records) and fraud:decision:* (decisions for GET /payments/:id)",
    onLoss: 'durable',
  },
  prepare: (infra) => preparePipeline(infra),
  // the demo's order, without its live generator: the load is the chaos run's alone
  services: [service('detector', true), service('alerts', true), service('gateway', false)],
  scenario: fraudScenario,
  scenarioOptions: (ports) => ({ 'gateway-url': `http://127.0.0.1:${ports.gateway}`, cards: 2000 }),
  defaultRate: 50,
  async verify({ infra, load, log, signal }): Promise<OutputCheck[]> {
    const flagged = new Set<string>();
    const decisions = await countByPayment(topics.decisions.name, infra.kafkaBrokers, load, signal, (d) => {
      if (d.decision === 'review' || d.decision === 'decline') flagged.add(d.paymentId);
    });
    const acceptedIds = [...load.accepted].map((op) => `${load.runId}-${op}`);
    const undecided = acceptedIds.filter((id) => !decisions.has(id));
    // where an undecided payment stopped: never on the payments topic (the gateway) or not decided
    const onPaymentsTopic =
      undecided.length === 0
        ? new Map<string, number>()
        : await countByPayment(topics.payments.name, infra.kafkaBrokers, load, signal);
    const neverProduced = undecided.filter((id) => !onPaymentsTopic.has(id));
    const refusedDecided = [...load.refused].filter((op) => decisions.has(`${load.runId}-${op}`)).length;
    log(`decisions read: ${decisions.size} payments decided, ${flagged.size} flagged`);

    const alerts = await countByPayment(topics.alerts.name, infra.kafkaBrokers, load, signal);
    const { stored, events } = await withPool(infra.databaseUrl, { max: 1 }, async (pool) => {
      const rows = await pool.query<{ payment_id: string }>(
        'select payment_id from fraud_alerts where payment_id like $1',
        [`${load.runId}-%`],
      );
      const alertEvents = await pool.query<{ alert_id: string; n: number }>(
        `select e.alert_id, count(*)::int as n from fraud_alert_events e join fraud_alerts a using (alert_id)
         where e.kind = 'alert' and a.payment_id like $1 group by e.alert_id`,
        [`${load.runId}-%`],
      );
      return { stored: new Set(rows.rows.map((r) => r.payment_id)), events: alertEvents.rows };
    });
    const flaggedIds = [...flagged];
    return [
      {
        output: `decisions on ${topics.decisions.name}`,
        expectation: 'exactly one per accepted payment',
        expected: acceptedIds.length,
        lost: undecided.length,
        duplicated: duplicatesIn(decisions),
        notes: [
          ...sampleNote('accepted, never decided', undecided),
          ...(undecided.length > 0
            ? [
                `of the undecided, ${neverProduced.length} are not on ${topics.payments.name} (the gateway lost them)`,
              ]
            : []),
          ...(refusedDecided > 0
            ? [
                `${refusedDecided} payments the gateway refused (503/timeout) were decided anyway: retry them with the same paymentId`,
              ]
            : []),
        ],
      },
      {
        output: `alerts on ${topics.alerts.name}`,
        expectation: 'exactly one per review/decline decision',
        expected: flaggedIds.length,
        lost: flaggedIds.filter((id) => !alerts.has(id)).length,
        duplicated: duplicatesIn(alerts),
      },
      {
        output: 'fraud_alerts rows (+ fraud_alert_events)',
        expectation: 'one row and one alert event per review/decline decision',
        expected: flaggedIds.length,
        lost: flaggedIds.filter((id) => !stored.has(id)).length,
        duplicated: events.reduce((sum, e) => sum + Math.max(0, e.n - 1), 0),
      },
    ];
  },
} satisfies ChaosPlan;
