/**
 * @streamkit/chaos: `pnpm chaos <pipeline>` — seeded faults under load against private
 * infrastructure, every output compared with a reference. Apps declare a `ChaosPlan`.
 */
export { type FaultKind, faultKinds, faultLabels, type PlannedFault, planFaults } from './faults.ts';
export { type PrivatePostgres, startPrivatePostgres } from './infra/postgres.ts';
export type {
  AcceptedLoad,
  ChaosOptionValue,
  ChaosPlan,
  ChaosRedisRole,
  ChaosServiceSpec,
  ChaosVerifyContext,
  OutputCheck,
} from './plan.ts';
export { defineChaosPlan, sampleNote } from './plan.ts';
export type { ChaosResult, ChaosSettings } from './result.ts';
export { readWholeTopic, type TopicReadRequest } from './topic-reader.ts';
