import { describe, expect, it } from 'vitest';
import { ScenarioError, UsageError } from '../src/errors.ts';
import { runLoad } from '../src/runner.ts';
import {
  defineScenario,
  type LoadgenEnvironment,
  type RunSettings,
  type ScenarioContext,
} from '../src/scenario.ts';
import { createFakeTime, type FakeTime } from './fake-time.ts';

const ms = 1e6;
const environment: LoadgenEnvironment = {
  kafkaBrokers: ['unused:9092'],
  kafkaClientId: 'test',
  databaseUrl: 'postgres://unused',
  redisUrl: 'redis://unused',
  mqttUrl: 'mqtt://unused',
};
const settings = (override: Partial<RunSettings> = {}): RunSettings => ({
  rate: 1000,
  durationS: 1,
  warmupS: 0,
  maxInFlight: 100_000,
  drainS: 5,
  ...override,
});

/**
 * A system under test that serves one operation at a time, `serviceMs` each, on fake time: it
 * accepts every send at once and completes operations in order, as a queue would.
 */
function singleServerScenario(time: FakeTime, serviceMs: number) {
  const queue: number[] = [];
  let busyUntilNs = 0;
  let ctx: ScenarioContext<unknown> | undefined;
  let stopServer: (() => void) | undefined;
  let tornDown = false;
  const scenario = defineScenario({
    name: 'single-server',
    description: 'a queue served at a fixed rate',
    async setup(context) {
      ctx = context;
      stopServer = time.ticker.every(1, () => {
        const now = time.clock.nowNs();
        while (queue.length > 0 && busyUntilNs <= now) {
          const operation = queue.shift() as number;
          busyUntilNs = Math.max(busyUntilNs, now) + serviceMs * ms;
          context.recordLatency({ operation, endNs: busyUntilNs });
        }
      });
      return {
        send: async (operation) => {
          queue.push(operation);
        },
        teardown: async () => {
          stopServer?.();
          tornDown = true;
        },
      };
    },
  });
  return { scenario, context: () => ctx, tornDown: () => tornDown };
}

describe('runLoad', () => {
  it('keeps the offered rate against a slow system and counts its queueing delay as latency', async () => {
    const time = createFakeTime();
    // offered 1000/s, served 500/s: a closed-loop generator would slow down and report ~2 ms
    const { scenario, tornDown } = singleServerScenario(time, 2);
    const result = await time.runUntilSettled(
      runLoad(
        { scenario, options: {}, settings: settings(), environment },
        { clock: time.clock, ticker: time.ticker },
      ),
    );
    const { counts, histogram } = result.measured;
    expect(counts.sent).toBe(1000);
    expect(counts.late).toBe(0); // every send went out on schedule
    expect(result.maxScheduleLagMs).toBeLessThan(1);
    expect(counts.completed).toBe(1000);
    expect(counts.lost).toBe(0);
    // operation i completes at ~2(i+1) ms but was due at i ms: its latency is ~i ms + 2 ms
    expect(histogram.valueAtPercentileMs(50)).toBeGreaterThan(450);
    expect(histogram.valueAtPercentileMs(50)).toBeLessThan(560);
    expect(histogram.percentiles().max).toBeGreaterThan(990);
    expect(histogram.percentiles().max).toBeLessThan(1010);
    expect(tornDown()).toBe(true);
  });

  it('reports the service time alone when the system keeps up', async () => {
    const time = createFakeTime();
    const { scenario } = singleServerScenario(time, 0.5);
    const result = await time.runUntilSettled(
      runLoad({ scenario, options: {}, settings: settings({ rate: 500 }), environment }, time),
    );
    expect(result.measured.counts.completed).toBe(500);
    // due at the tick, served within the next one: at most a tick plus the service time
    expect(result.measured.histogram.percentiles().max).toBeLessThanOrEqual(1.6);
  });

  it('drops what is due while the in-flight cap is reached, and counts the never-completed as lost', async () => {
    const time = createFakeTime();
    const neverCompletes = defineScenario({
      name: 'black-hole',
      description: 'accepts and never answers',
      setup: async () => ({ send: async () => {}, teardown: async () => {} }),
    });
    const result = await time.runUntilSettled(
      runLoad(
        {
          scenario: neverCompletes,
          options: {},
          settings: settings({ maxInFlight: 10, drainS: 0.5 }),
          environment,
        },
        time,
      ),
    );
    const { counts } = result.measured;
    expect(counts.sent).toBe(10);
    expect(counts.accepted).toBe(10);
    expect(counts.errors).toEqual({ dropped: 990 });
    expect(counts.lost).toBe(10);
    expect(counts.completed).toBe(0);
  });

  it('counts failed sends by error kind, not as lost', async () => {
    const time = createFakeTime();
    class Refused extends Error {
      readonly kind = 'refused';
    }
    const refusesOdd = defineScenario({
      name: 'refuses-odd',
      description: 'refuses every odd operation',
      async setup(ctx) {
        return {
          send: async (operation) => {
            if (operation % 2 === 1) throw new Refused('no');
            ctx.recordLatency({ operation });
          },
          teardown: async () => {},
        };
      },
    });
    const result = await time.runUntilSettled(
      runLoad({ scenario: refusesOdd, options: {}, settings: settings({ rate: 100 }), environment }, time),
    );
    expect(result.measured.counts).toMatchObject({ sent: 100, accepted: 50, completed: 50, lost: 0 });
    expect(result.measured.counts.errors).toEqual({ refused: 50 });
  });

  it('keeps the warmup out of the measured statistics', async () => {
    const time = createFakeTime();
    const slowStart = defineScenario({
      name: 'slow-start',
      description: 'slow while warming up',
      async setup(ctx) {
        return {
          send: async (operation, intendedAtNs) => {
            const latency = operation < 100 ? 300 * ms : 1 * ms;
            ctx.recordLatency({ operation, endNs: intendedAtNs + latency });
          },
          teardown: async () => {},
        };
      },
    });
    const result = await time.runUntilSettled(
      runLoad(
        { scenario: slowStart, options: {}, settings: settings({ rate: 200, warmupS: 0.5 }), environment },
        time,
      ),
    );
    expect(result.warmup.counts.completed).toBe(100);
    expect(result.warmup.histogram.percentiles().max).toBeCloseTo(300, 0);
    expect(result.measured.counts.completed).toBe(200);
    expect(result.measured.histogram.percentiles().max).toBeCloseTo(1, 2);
  });

  it('counts a second completion of one operation as a duplicate', async () => {
    const time = createFakeTime();
    const echoesTwice = defineScenario({
      name: 'echo-twice',
      description: 'completes everything twice',
      async setup(ctx) {
        return {
          send: async (operation) => {
            ctx.recordLatency({ operation });
            ctx.recordLatency({ operation });
          },
          teardown: async () => {},
        };
      },
    });
    const result = await time.runUntilSettled(
      runLoad({ scenario: echoesTwice, options: {}, settings: settings({ rate: 50 }), environment }, time),
    );
    expect(result.measured.counts).toMatchObject({ completed: 50, duplicates: 50 });
    expect(result.measured.histogram.count).toBe(50);
  });

  it('counts a completion of a retried send once, as completed after retry, whether it came before or after the retry', async () => {
    const time = createFakeTime();
    const retries = defineScenario({
      name: 'retry-unknown',
      description: 'odd operations complete before their retry is known, even ones after',
      async setup(ctx) {
        return {
          send: async (operation) => {
            if (operation % 2 === 1) {
              ctx.recordLatency({ operation }); // the first attempt took effect…
              ctx.recordRetry(operation); // …though its answer said "unknown", so it is retried
            } else {
              ctx.recordRetry(operation);
              ctx.recordLatency({ operation });
            }
          },
          teardown: async () => {},
        };
      },
    });
    const result = await time.runUntilSettled(
      runLoad({ scenario: retries, options: {}, settings: settings({ rate: 50 }), environment }, time),
    );
    expect(result.measured.counts).toMatchObject({ completed: 50, duplicates: 0, completedAfterRetry: 50 });
  });

  it('stops the schedule when interrupted, then drains and tears down', async () => {
    const time = createFakeTime();
    const interrupt = new AbortController();
    const { scenario, tornDown } = singleServerScenario(time, 0.1);
    const running = runLoad(
      { scenario, options: {}, settings: settings({ durationS: 10 }), environment },
      { ...time, signal: interrupt.signal },
    );
    await time.advanceTo(300 * ms);
    interrupt.abort();
    const result = await time.runUntilSettled(running);
    expect(result.interrupted).toBe(true);
    expect(result.measured.counts.sent).toBeGreaterThan(250);
    expect(result.measured.counts.sent).toBeLessThan(350);
    expect(result.measured.counts.completed).toBe(result.measured.counts.sent);
    expect(tornDown()).toBe(true);
  });

  it('wraps a failed setup in a ScenarioError', async () => {
    const time = createFakeTime();
    const broken = defineScenario({
      name: 'broken',
      description: 'cannot connect',
      setup: async () => {
        throw new Error('ECONNREFUSED 127.0.0.1:1');
      },
    });
    const running = runLoad({ scenario: broken, options: {}, settings: settings(), environment }, time);
    await expect(running).rejects.toThrow(ScenarioError);
    await expect(running).rejects.toThrow(/broken: setup failed: ECONNREFUSED/);
  });

  it('reports a failed teardown as a problem and still returns the result', async () => {
    const time = createFakeTime();
    const leaky = defineScenario({
      name: 'leaky',
      description: 'cannot clean up',
      async setup(ctx) {
        return {
          send: async (operation) => ctx.recordLatency({ operation }),
          teardown: async () => {
            throw new Error('topic deletion refused');
          },
        };
      },
    });
    const result = await time.runUntilSettled(
      runLoad({ scenario: leaky, options: {}, settings: settings({ rate: 10 }), environment }, time),
    );
    expect(result.measured.counts.completed).toBe(10);
    expect(result.problems).toEqual(['teardown of leaky failed: topic deletion refused']);
  });

  it.each([
    [{ rate: -1 }, /rate must be a positive number/],
    [{ durationS: 0 }, /duration must be a positive number/],
    [{ warmupS: -1 }, /warmup must be >= 0/],
    [{ drainS: Number.NaN }, /drain must be >= 0/],
    [{ maxInFlight: 0.5 }, /max-in-flight must be an integer >= 1/],
    [{ rate: 0.1, durationS: 1 }, /at least one operation/],
  ])('rejects nonsense settings %o before setting up', async (override, message) => {
    const time = createFakeTime();
    let setUp = false;
    const scenario = defineScenario({
      name: 'never',
      description: 'must not be set up',
      setup: async () => {
        setUp = true;
        return { send: async () => {}, teardown: async () => {} };
      },
    });
    const running = runLoad({ scenario, options: {}, settings: settings(override), environment }, time);
    await expect(running).rejects.toThrow(UsageError);
    await expect(running).rejects.toThrow(message);
    expect(setUp).toBe(false);
  });
});
