/**
 * http-roundtrip: the HTTP path alone, as a baseline for the pipelines with HTTP ingress (fraud's
 * gateway, the recommendations web service). Each operation POSTs a JSON body to a minimal server
 * running as its own process on this machine (http-sink-server.ts); the latency runs from the
 * intended send time to the response. What a pipeline's gateway does beyond this is its own cost.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { ScenarioError } from '../errors.ts';
import { createHttpClient } from '../http-client.ts';
import { defineScenario } from '../scenario.ts';

const options = {
  size: { type: 'int', default: 300, min: 16, max: 1_000_000, description: 'bytes of each JSON body' },
  connections: {
    type: 'int',
    default: 16,
    min: 1,
    max: 10_000,
    description: 'keep-alive connections to the server; requests beyond them queue in the client',
  },
  pipelining: {
    type: 'int',
    default: 1,
    min: 1,
    max: 128,
    description: 'requests in flight per connection (HTTP/1.1 pipelining)',
  },
  'request-timeout-ms': { type: 'int', default: 10_000, min: 100, max: 120_000, description: 'per POST' },
} as const;

const serverModule = new URL('./http-sink-server.ts', import.meta.url);

export const httpRoundtrip = defineScenario({
  name: 'http-roundtrip',
  description: 'POST JSON to a minimal HTTP server in its own process: the HTTP client + server baseline',
  options,
  async setup(ctx) {
    const sink = await startHttpSinkServer();
    ctx.log(`sink server pid ${sink.pid} on 127.0.0.1:${sink.port}`);
    const client = createHttpClient({
      baseUrl: `http://127.0.0.1:${sink.port}`,
      connections: ctx.options.connections,
      pipelining: ctx.options.pipelining,
      timeoutMs: ctx.options['request-timeout-ms'],
      serverName: 'sink server',
    });
    // the body is built by concatenation around a fixed filler: JSON.stringify per request was
    // a visible share of the generator's CPU at 10,000/s
    const head = `{"runId":${JSON.stringify(ctx.runId)},"filler":"${'x'.repeat(Math.max(0, ctx.options.size - 60))}","operation":`;
    return {
      async send(operation, intendedAtNs) {
        await client.send('POST', '/', 202, `${head}${operation}}`);
        ctx.recordLatency({ operation, startNs: intendedAtNs });
      },
      async teardown() {
        await client.close();
        await sink.stop();
      },
    };
  },
});

/** The no-op server of http-roundtrip in its own process (also the target of the bench's wrk baseline). */
export interface HttpSinkServer {
  readonly pid: number | undefined;
  readonly port: number;
  stop(): Promise<void>;
}

export async function startHttpSinkServer(): Promise<HttpSinkServer> {
  const server = fork(serverModule, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await listeningPort(server);
  return {
    pid: server.pid,
    port,
    async stop() {
      if (server.connected) server.disconnect();
      if (server.exitCode === null && server.signalCode === null) await once(server, 'exit');
    },
  };
}

function listeningPort(server: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    const fail = (why: string) => reject(new ScenarioError('http-roundtrip', `sink server ${why}`));
    server.once('message', (message: unknown) => {
      const port = (message as { port?: unknown } | null)?.port;
      if (typeof port === 'number' && port > 0) resolve(port);
      else fail(`sent ${JSON.stringify(message)} instead of its port`);
    });
    server.once('exit', (code, signal) => fail(`exited (${signal ?? code}) before listening`));
    server.once('error', (error) => fail(`could not start: ${error.message}`));
  });
}
