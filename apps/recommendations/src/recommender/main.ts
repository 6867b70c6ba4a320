// The recommender process: node --import @streamkit/telemetry/register src/recommender/main.ts
import { runService } from '@streamkit/runtime';
import { recommenderService } from './service.ts';

await runService(recommenderService);
