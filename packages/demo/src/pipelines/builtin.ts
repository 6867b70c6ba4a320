import type { DemoPipeline } from '../types.ts';
import { createHelloPipeline } from './hello/pipeline.ts';

/** Pipelines that ship with the runner itself (apps add theirs through package.json). */
export function builtinPipelines(options: { helloPort: number; helloHost: string }): DemoPipeline[] {
  return [createHelloPipeline({ port: options.helloPort, host: options.helloHost })];
}
