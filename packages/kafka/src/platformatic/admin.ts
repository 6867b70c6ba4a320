import { Admin, ConfigResourceTypes } from '@platformatic/kafka';
import type { AdminDriver, DriverConfig } from '../driver.ts';
import { fromClientError, KafkaRequestError, type StreamkitKafkaError } from '../errors.ts';
import { abortableDelay } from '../retry.ts';
import { baseOptions, closedOnFailure } from './options.ts';

/** How often createTopics looks whether the new topics' partitions have leaders. */
const LEADER_POLL_MS = 100;

/**
 * Topic admin on @platformatic/kafka, with what kafkajs's admin does beside the requests: a topic
 * that already exists is not a creation failure, creation waits for the partitions' leaders, and
 * an error the library marks retriable (e.g. a topic another process just created and whose
 * partitions have no leader yet) stays retriable for ensureTopics.
 */
export async function connectPlatformaticAdmin(config: DriverConfig): Promise<AdminDriver> {
  const admin = new Admin(baseOptions(config, 'admin'));
  await closedOnFailure(() => admin.close(), admin.listTopics()); // fail here, as kafkajs's connect() does

  async function metadata(topics: readonly string[]) {
    return (await admin.metadata({ topics: [...topics], forceUpdate: true })).topics;
  }

  async function waitForLeaders(topics: readonly string[]): Promise<void> {
    const deadline = Date.now() + config.requestTimeoutMs;
    for (;;) {
      const known = await metadata(topics).catch((error: unknown) => {
        if (Date.now() >= deadline) throw error;
        return undefined;
      });
      const ready = topics.every((t) => {
        const partitions = known?.get(t)?.partitions ?? [];
        return partitions.length > 0 && partitions.every((p) => p.leader >= 0);
      });
      if (ready) return;
      if (Date.now() >= deadline)
        throw new KafkaRequestError(`no leaders yet for ${topics.join(', ')}`, { retriable: true });
      await abortableDelay(LEADER_POLL_MS, undefined);
    }
  }

  return {
    listTopics: () => mapped('list topics', admin.listTopics()),
    async createTopics(topics) {
      // one request per topic: the library applies one set of configs to all topics of a request
      for (const t of topics) {
        await admin
          .createTopics({
            topics: [t.topic],
            partitions: t.partitions,
            replicas: t.replicationFactor,
            configs: t.configs.map(({ name, value }) => ({ name, value })),
          })
          .catch((error: unknown) => {
            if (!onlyAlreadyExists(error)) throw ours(`create topic ${t.topic}`, error);
          });
      }
      await waitForLeaders(topics.map((t) => t.topic));
    },
    async partitionCounts(topics) {
      const known = await mapped('describe topics', metadata(topics));
      return new Map([...known].map(([name, meta]) => [name, meta.partitionsCount]));
    },
    async createPartitions(topics) {
      await mapped(
        'create partitions',
        admin.createPartitions({ topics: topics.map((t) => ({ name: t.topic, count: t.count })) }),
      );
    },
    async alterTopicConfigs(topics) {
      await mapped(
        'alter topic configs',
        admin.alterConfigs({
          resources: topics.map((t) => ({
            resourceType: ConfigResourceTypes.TOPIC,
            resourceName: t.topic,
            configs: t.configs.map(({ name, value }) => ({ name, value })),
          })),
        }),
      );
    },
    async deleteTopics(topics) {
      await mapped('delete topics', admin.deleteTopics({ topics: [...topics] }));
    },
    disconnect: () => admin.close(),
  };
}

interface LibraryError {
  readonly apiId?: string;
  readonly canRetry?: boolean;
  readonly errors?: readonly unknown[];
}

/** The leaf errors of the library's nested MultipleErrors. */
function leaves(error: unknown): LibraryError[] {
  const e = (typeof error === 'object' && error !== null ? error : {}) as LibraryError;
  return Array.isArray(e.errors) && e.errors.length > 0 ? e.errors.flatMap(leaves) : [e];
}

function onlyAlreadyExists(error: unknown): boolean {
  return leaves(error).every((e) => e.apiId === 'TOPIC_ALREADY_EXISTS');
}

/** Our error for a failed `action`, retriable where the library marks every cause retriable (`canRetry`). */
function ours(action: string, error: unknown): StreamkitKafkaError {
  const mapped = fromClientError(action, error);
  if (mapped.retriable || !leaves(error).every((e) => e.canRetry === true)) return mapped;
  return new KafkaRequestError(mapped.message, { retriable: true, cause: error });
}

async function mapped<R>(action: string, request: Promise<R>): Promise<R> {
  try {
    return await request;
  } catch (error) {
    throw ours(action, error);
  }
}
