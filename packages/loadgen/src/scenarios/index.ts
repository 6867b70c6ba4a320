import type { Scenario } from '../scenario.ts';
import { httpRoundtrip } from './http-roundtrip.ts';
import { kafkaRoundtrip } from './kafka-roundtrip.ts';

/** The scenarios this package ships; pipelines add theirs through package.json (see registry.ts). */
export const builtInScenarios: readonly Scenario[] = [kafkaRoundtrip, httpRoundtrip];
