import { fileURLToPath } from 'node:url';
import type { DemoPipeline } from '../../types.ts';

/** The built-in `hello` pipeline: one tiny HTTP service, no infrastructure. Proves the runner works. */
export function createHelloPipeline(options: { port: number; host: string }): DemoPipeline {
  const url = `http://${options.host}:${options.port}/`;
  return {
    name: 'hello',
    description: 'one echo HTTP service: checks that the demo runner works',
    needs: [],
    services: [
      {
        name: 'echo',
        command: ['node', 'echo-server.ts'],
        cwd: fileURLToPath(new URL('.', import.meta.url)),
        env: () => ({ PORT: String(options.port), HOST: options.host }),
        url,
        ready: { http: new URL('health', url).href },
      },
    ],
  };
}
