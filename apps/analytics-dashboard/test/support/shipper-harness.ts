// A real shipper pipeline (real Kafka) on topics of its own, plus readers of what reached them.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type KafkaWithTopics, openKafkaWithTopics } from '@streamkit/kafka';
import { createServiceRegistry, silentLogger } from '@streamkit/runtime';
import type { AccessLog, RejectedLogLine } from '@streamkit/schemas';
import { createPipelineMetrics, type PipelineMetrics } from '@streamkit/telemetry';
import {
  createKafkaTestAdmin,
  type Infrastructure,
  type KafkaTestAdmin,
  uniqueName,
} from '@streamkit/testkit';
import type { Registry } from 'prom-client';
import { type DashboardTopics, dashboardTopicSpecs, dashboardTopics } from '../../src/common/topics.ts';
import { createLineSender, type LineSender } from '../../src/shipper/line-sender.ts';
import { createUserAgentClassifier, type UserAgentClassifier } from '../../src/shipper/user-agents.ts';

export interface ShipperTestEnv extends KafkaWithTopics {
  readonly prefix: string;
  readonly topics: DashboardTopics;
  readonly sender: LineSender;
  readonly agents: UserAgentClassifier;
  readonly registry: Registry;
  readonly metrics: PipelineMetrics;
  readonly admin: KafkaTestAdmin;
  /** a fresh temporary directory for log files and checkpoints */
  readonly dir: string;
  shippedLogs(): Promise<AccessLog[]>;
  rejectedLines(): Promise<{ value: RejectedLogLine; reason: string | undefined }[]>;
  close(): Promise<void>;
}

export const TEST_HOST = 'web-test.example';

export async function createShipperTestEnv(infra: Infrastructure, name: string): Promise<ShipperTestEnv> {
  const prefix = `${uniqueName(name)}.`;
  const topics = dashboardTopics(prefix);
  const registry = createServiceRegistry(`${name}-test`, { defaultMetrics: false });
  const metrics = createPipelineMetrics(registry);
  const { kafka, producer } = await openKafkaWithTopics({
    brokers: infra.kafkaBrokers,
    clientId: name,
    logger: silentLogger,
    topics: [dashboardTopicSpecs(topics, 2).logs],
    producer: { metrics, lingerMs: 1, maxBufferedMessages: 50_000 },
  });
  const agents = createUserAgentClassifier();
  const sender = createLineSender({ producer, topics, agents, metrics, defaultHost: TEST_HOST });
  const admin = await createKafkaTestAdmin(infra.kafkaBrokers);
  const dir = await mkdtemp(join(tmpdir(), `${name}-`));
  return {
    prefix,
    topics,
    kafka,
    producer,
    sender,
    agents,
    registry,
    metrics,
    admin,
    dir,
    async shippedLogs() {
      return (await admin.readTopic(topics.logs.name)).map((r) => JSON.parse(r.value ?? '') as AccessLog);
    },
    async rejectedLines() {
      return (await admin.readTopic(topics.rejected.name)).map((r) => ({
        value: JSON.parse(r.value ?? '') as RejectedLogLine,
        reason: r.headers['x-dlq-reason'],
      }));
    },
    async close() {
      await producer.disconnect();
      await admin.deleteTopics([topics.logs.name, topics.rejected.name]).catch(() => {});
      await admin.disconnect();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The ids a file's lines get: one per non-empty line, `<identity>.<byte offset>`. */
export function expectedOffsets(lines: readonly string[]): number[] {
  const offsets: number[] = [];
  let offset = 0;
  for (const line of lines) {
    offsets.push(offset);
    offset += Buffer.byteLength(line) + 1;
  }
  return offsets;
}
