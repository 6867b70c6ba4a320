import type { ServiceContext } from '@streamkit/runtime';
import { createAdmin, type KafkaAdmin, type TopicSpec } from './admin.ts';
import type { KafkaClient } from './client.ts';
import { createProducer, type ProducerSettings } from './producer.ts';
import type { TypedProducer } from './types.ts';

type Acquire = Pick<ServiceContext<unknown>, 'acquire'>;

/**
 * A service's topic admin, disconnected at shutdown; with `specs`, the topics the service uses are
 * ensured first (each service ensures only its own, from its pipeline's topic spec).
 */
export async function acquireAdmin(
  ctx: Acquire,
  kafka: KafkaClient,
  specs: readonly TopicSpec[] = [],
): Promise<KafkaAdmin> {
  const admin = await ctx.acquire(
    'kafka admin',
    () => createAdmin(kafka),
    (a) => a.disconnect(),
  );
  if (specs.length > 0) await ctx.acquire('kafka topics', () => admin.ensureTopics([...specs]));
  return admin;
}

/** A service's producer, disconnected (its buffer flushed) at shutdown, after what was acquired later. */
export function acquireProducer(
  ctx: Acquire,
  kafka: KafkaClient,
  settings: ProducerSettings = {},
): Promise<TypedProducer> {
  return ctx.acquire(
    'kafka producer',
    () => createProducer(kafka, settings),
    (p) => p.disconnect(),
  );
}
