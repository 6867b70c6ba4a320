/** The kinds of fault a chaos run injects, and the seeded sequence of them. */
import { createRandom } from '@streamkit/random';

export const faultKinds = [
  'kill-service',
  'kafka-restart',
  'postgres-restart',
  'redis-restart',
  'redis-data-loss',
  'mosquitto-restart',
  'replica-join',
  'replica-leave',
] as const;

export type FaultKind = (typeof faultKinds)[number];

export const faultLabels: Record<FaultKind, string> = {
  'kill-service': 'kill -9 of a service (restarted)',
  'kafka-restart': 'Kafka broker restart',
  'postgres-restart': 'PostgreSQL restart',
  'redis-restart': 'Redis kill -9 + restart',
  'redis-data-loss': 'Redis data loss',
  'mosquitto-restart': 'Mosquitto restart',
  'replica-join': 'processor replica joins',
  'replica-leave': 'processor replica leaves',
};

export interface PlannedFault {
  readonly index: number;
  readonly kind: FaultKind;
  /** Seconds after the load started. */
  readonly atS: number;
  /** For restarts: how long the component stays down, s. */
  readonly downS: number;
  /** Seeds the fault's own choices (which service). */
  readonly seed: number;
}

export interface ScheduleRequest {
  readonly faults: number;
  readonly seed: number;
  readonly durationS: number;
  /** The kinds this pipeline supports (and the user allowed). */
  readonly kinds: readonly FaultKind[];
}

/**
 * Fault i is due at a seeded point of the i-th of `faults` equal slots of the first 80 % of the
 * load (the rest shows the recovery). Replica faults alternate sensibly: a leave only when a
 * replica joined earlier, at most two extra replicas. Same request, same sequence.
 */
export function planFaults(request: ScheduleRequest): PlannedFault[] {
  const random = createRandom(request.seed);
  const replicaKinds = request.kinds.filter((k) => k === 'replica-join' || k === 'replica-leave');
  // join and leave are one choice ("a replica joins or leaves"), so they weigh as one kind
  const choices: (FaultKind | 'replica')[] = [
    ...request.kinds.filter((k) => k !== 'replica-join' && k !== 'replica-leave'),
    ...(replicaKinds.length > 0 ? (['replica'] as const) : []),
  ];
  if (choices.length === 0) throw new Error('no fault kinds to choose from');
  const slotS = (request.durationS * 0.8) / request.faults;
  let extraReplicas = 0;
  const planned: PlannedFault[] = [];
  for (let index = 0; index < request.faults; index++) {
    const choice = random.pick(choices);
    let kind: FaultKind;
    if (choice !== 'replica') kind = choice;
    else if (!replicaKinds.includes('replica-leave')) kind = 'replica-join';
    else if (!replicaKinds.includes('replica-join')) kind = 'replica-leave';
    else if (extraReplicas === 0) kind = 'replica-join';
    else if (extraReplicas >= 2) kind = 'replica-leave';
    else kind = random.chance(0.5) ? 'replica-join' : 'replica-leave';
    if (kind === 'replica-join') extraReplicas++;
    if (kind === 'replica-leave') extraReplicas = Math.max(0, extraReplicas - 1);
    planned.push({
      index,
      kind,
      atS: Math.round((index + random.uniform(0.2, 0.8)) * slotS * 10) / 10,
      downS: Math.round(random.uniform(1, 5) * 10) / 10,
      seed: random.int(0, 2_147_483_647),
    });
  }
  return planned;
}
