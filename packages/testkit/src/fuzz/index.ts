// The fuzzer's parts: inputs generated from the schemas and mutated from valid ones, the ingress
// contract every answer must keep, the topic check, the settings (FUZZ_RUNS, FUZZ_SEED, FUZZ_REPORT).

export { default as fc } from 'fast-check';
export {
  contractBreach,
  type FuzzAnswer,
  type FuzzExpectations,
  type FuzzFigures,
  finishFuzzRound,
  fuzzIngress,
  invalidRecords,
  reportFuzzFigures,
  sampleFuzzInputs,
} from './fuzz-ingress.ts';
export { hostileValue, mutationsOf, rawBodiesOf } from './mutations.ts';
export { arbitraryOf, type JsonSchema } from './schema-arbitrary.ts';
export { type FuzzSettings, fuzzEnv, loadFuzzSettings } from './settings.ts';
