/** Carries out one planned fault on the run's private infrastructure and service instances. */
import { createRandom } from '@streamkit/random';
import type { PlannedFault } from './faults.ts';
import type { Fleet } from './fleet.ts';
import type { PrivateInfra } from './infra/private-infra.ts';
import type { RestartableInfra } from './infra/restartable.ts';
import { countExisting, sampleDurableKeys } from './redis-sample.ts';

export interface InjectedFault {
  readonly index: number;
  readonly kind: PlannedFault['kind'];
  /** What was hit, e.g. "detector#2 (pid 1234)" or "broker down 3.1 s". */
  readonly target: string;
  readonly startedAtMs: number;
  /** When the component was back (restarted and ready, replica ready or gone). */
  readonly endedAtMs: number;
  /** Set when the fault itself shows something (Redis keys kept). */
  readonly finding?: string;
  /** Set when the fault could not be carried out. */
  readonly failure?: string;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function bounce(part: RestartableInfra | undefined, downS: number): Promise<string> {
  if (part === undefined) throw new Error('not started for this pipeline');
  await part.stop();
  await pause(downS * 1000);
  await part.start();
  return `${part.name} down ${downS.toFixed(1)} s`;
}

export async function injectFault(
  fault: PlannedFault,
  fleet: Fleet,
  infra: PrivateInfra,
): Promise<InjectedFault> {
  const random = createRandom(fault.seed);
  const startedAtMs = Date.now();
  let target = '';
  /** What the fault showed (Redis keys surviving a kill), or why it could not be injected. */
  let outcome: { finding: string } | { failure: string } | Record<string, never> = {};
  try {
    switch (fault.kind) {
      case 'kill-service': {
        const victim = random.pick(fleet.instances);
        target = `${victim.label} (pid ${victim.process.pid})`;
        await fleet.killAndRestart(victim);
        break;
      }
      case 'replica-join': {
        const spec = random.pick(fleet.instances.filter((i) => i.spec.replicable).map((i) => i.spec));
        const joined = await fleet.addReplica(spec);
        target = joined.label;
        break;
      }
      case 'replica-leave': {
        const extras = fleet.instances.filter((i) => i.replica > 0);
        if (extras.length === 0) throw new Error('no extra replica to stop');
        const leaving = random.pick(extras);
        target = leaving.label;
        await fleet.removeReplica(leaving);
        break;
      }
      case 'kafka-restart':
        target = await bounce(infra.kafka, fault.downS);
        break;
      case 'postgres-restart':
        target = await bounce(infra.postgres, fault.downS);
        break;
      case 'mosquitto-restart':
        target = await bounce(infra.mosquitto, fault.downS);
        break;
      case 'redis-restart': {
        const redis = infra.redis;
        if (redis === undefined) throw new Error('redis not started for this pipeline');
        const keys = await sampleDurableKeys(redis.url);
        await redis.kill();
        await pause(fault.downS * 1000);
        await redis.start();
        const kept = await countExisting(redis.url, keys);
        outcome = { finding: `${kept}/${keys.length} sampled Redis keys survived kill -9` };
        target = `redis-server kill -9, down ${fault.downS.toFixed(1)} s`;
        break;
      }
      case 'redis-data-loss': {
        const redis = infra.redis;
        if (redis === undefined) throw new Error('redis not started for this pipeline');
        await redis.kill();
        await redis.wipe();
        await pause(fault.downS * 1000);
        await redis.start();
        target = `redis-server kill -9, data deleted, down ${fault.downS.toFixed(1)} s`;
        break;
      }
    }
  } catch (error) {
    outcome = { failure: error instanceof Error ? error.message : String(error) };
  }
  return { index: fault.index, kind: fault.kind, target, startedAtMs, endedAtMs: Date.now(), ...outcome };
}
