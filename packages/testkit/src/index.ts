export {
  allComponents,
  type Infrastructure,
  type InfrastructureComponent,
  InfrastructureUnavailableError,
  type MissingComponent,
} from './components.ts';
export {
  type CommittedTransaction,
  type ConcurrentCommits,
  type ConcurrentCommitsSettings,
  commitConcurrently,
  type TransactionTurn,
} from './concurrent-commits.ts';
export { deleteKeysWithPrefix } from './delete-keys.ts';
export { type EventStreamClient, type EventStreamMessage, openEventStream } from './event-stream-client.ts';
export { freePort } from './free-port.ts';
export { type HoldWritersOptions, holdWritersOf, type SqlRunner } from './hold-writers.ts';
export { type EnsureInfrastructureOptions, ensureInfrastructure } from './infrastructure.ts';
export type { EnvironmentSource } from './infrastructure-env.ts';
export {
  createKafkaTestAdmin,
  type KafkaTestAdmin,
  type ReadTopicOptions,
  type StoredRecord,
} from './kafka-test-admin.ts';
export { type LockedDirectory, lockDirectory } from './locked-directory.ts';
export {
  type PrivateKafka,
  type PrivateKafkaOptions,
  preparePrivateKafka,
  startPrivateKafka,
} from './private-kafka.ts';
export {
  DYNSEC_PLUGIN,
  type PrivateMosquitto,
  type PrivateMosquittoOptions,
  startPrivateMosquitto,
} from './private-mosquitto.ts';
export { type PrivateRedis, startPrivateRedis } from './private-redis.ts';
export { sampleValue } from './prometheus-text.ts';
export { type ReplicaChurnOptions, streamWhileReplicasChange } from './replica-churn.ts';
export { findRepoRoot } from './repo-root.ts';
export { createServiceProcesses, type ServiceProcess, type ServiceProcesses } from './service-processes.ts';
export { freePortPair, freeStablePort } from './stable-ports.ts';
export { createTestDatabase, type TestDatabase } from './test-database.ts';
export { openTestStores, type TestStores, type TestStoresOptions } from './test-stores.ts';
export { uniqueName } from './unique-name.ts';
export { type WaitForOptions, waitFor } from './wait-for.ts';
