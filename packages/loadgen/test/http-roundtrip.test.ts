import { describe, expect, it } from 'vitest';
import { allCompleted, outcomeOf, runInRealTime } from '../src/real-time-run.ts';
import { httpRoundtrip } from '../src/scenarios/http-roundtrip.ts';

describe('http-roundtrip', () => {
  it('answers every POST through its own server process, and stops that process at teardown', async () => {
    const logs: string[] = [];
    const result = await runInRealTime(
      {
        scenario: httpRoundtrip,
        options: { size: 300, connections: 4, pipelining: 4, 'request-timeout-ms': 10_000 },
        settings: { rate: 200, durationS: 2, warmupS: 0, maxInFlight: 10_000, drainS: 20 },
        environment: {
          kafkaBrokers: ['127.0.0.1:1'],
          kafkaClientId: 'loadgen-test',
          databaseUrl: 'postgres://unused',
          redisUrl: 'redis://unused',
          mqttUrl: 'mqtt://unused',
        },
      },
      {
        runId: 'http-test',
        log: (l) => logs.push(l),
      },
    );

    const { counts, histogram } = result.measured;
    expect(outcomeOf(counts)).toEqual(allCompleted(400));
    expect(histogram.percentiles().min).toBeGreaterThan(0);
    expect(result.problems).toEqual([]);

    const pid = Number(/sink server pid (\d+)/.exec(logs.join('\n'))?.[1]);
    expect(pid).toBeGreaterThan(0);
    // teardown waited for the exit: signal 0 probes whether the pid still exists
    expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
  });
});
