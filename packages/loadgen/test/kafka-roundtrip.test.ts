import { createAdmin, createKafka } from '@streamkit/kafka';
import { silentLogger } from '@streamkit/runtime';
import { uniqueName } from '@streamkit/testkit';
import { describe, expect, inject, it } from 'vitest';
import { allCompleted, outcomeOf, runInRealTime } from '../src/real-time-run.ts';
import { kafkaRoundtrip } from '../src/scenarios/kafka-roundtrip.ts';

describe.each(['kafkajs', 'platformatic'] as const)(
  'kafka-roundtrip against the real broker (%s)',
  (client) => {
    const { kafkaBrokers } = inject('infrastructure');

    it('reads back every message it sent, with no errors, and deletes its topic', async () => {
      // the scenario names its topic after the run id: unique per file and process
      const runId = uniqueName('roundtrip-test');
      const logs: string[] = [];
      const result = await runInRealTime(
        {
          scenario: kafkaRoundtrip,
          options: { size: 300, partitions: 3, 'linger-ms': 5, client },
          settings: { rate: 200, durationS: 2, warmupS: 0, maxInFlight: 10_000, drainS: 20 },
          environment: {
            kafkaBrokers,
            kafkaClientId: 'loadgen-test',
            databaseUrl: 'postgres://unused',
            redisUrl: 'redis://unused',
            mqttUrl: 'mqtt://unused',
          },
        },
        {
          runId,
          log: (line) => logs.push(line),
        },
      );

      const { counts, histogram } = result.measured;
      expect(outcomeOf(counts)).toEqual(allCompleted(400));
      expect(histogram.count).toBe(400);
      expect(histogram.percentiles().min).toBeGreaterThan(0);
      expect(result.problems).toEqual([]);
      expect(logs).toContain(
        `[kafka-roundtrip] topic loadgen.roundtrip.${runId} (3 partitions), client ${client}`,
      );

      const admin = await createAdmin(
        createKafka({ brokers: kafkaBrokers, clientId: 'loadgen-test-check', logger: silentLogger }),
      );
      try {
        const topics = await admin.listTopics();
        expect(topics.filter((t) => t.includes(runId))).toEqual([]);
      } finally {
        await admin.disconnect();
      }
    });
  },
);
