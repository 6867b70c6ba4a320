/**
 * http-roundtrip: the HTTP path alone, as a baseline for the pipelines with HTTP ingress (fraud's
 * gateway, the recommendations web service). Each operation POSTs a JSON body to a minimal server
 * running as its own process on this machine (http-sink-server.ts); the latency runs from the
 * intended send time to the response. What a pipeline's gateway does beyond this is its own cost.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { ScenarioError } from '../errors.ts';
import { defineScenario } from '../scenario.ts';

const options = {
  size: { type: 'int', default: 300, min: 16, max: 1_000_000, description: 'bytes of each JSON body' },
  connections: {
    type: 'int',
    default: 64,
    min: 1,
    max: 10_000,
    description: 'keep-alive sockets to the server; requests beyond them queue in the client',
  },
  'request-timeout-ms': { type: 'int', default: 10_000, min: 100, max: 120_000, description: 'per POST' },
} as const;

const serverModule = new URL('./http-sink-server.ts', import.meta.url);

/** A refused POST, counted under `kind`: http-<status>, timeout or network. */
class HttpRoundtripError extends Error {
  readonly kind: string;
  readonly retriable = true;
  constructor(kind: string, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'HttpRoundtripError';
    this.kind = kind;
  }
}

export const httpRoundtrip = defineScenario({
  name: 'http-roundtrip',
  description: 'POST JSON to a minimal HTTP server in its own process: the HTTP client + server baseline',
  options,
  async setup(ctx) {
    const server = fork(serverModule, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const port = await listeningPort(server);
    ctx.log(`sink server pid ${server.pid} on 127.0.0.1:${port}`);
    const agent = new Agent({ keepAlive: true, maxSockets: ctx.options.connections });
    const filler = 'x'.repeat(Math.max(0, ctx.options.size - 60));
    const timeoutMs = ctx.options['request-timeout-ms'];

    const post = (operation: number, intendedAtNs: number) =>
      new Promise<void>((resolve, reject) => {
        const body = JSON.stringify({ runId: ctx.runId, operation, filler });
        const req = request(
          {
            host: '127.0.0.1',
            port,
            path: '/',
            method: 'POST',
            agent,
            timeout: timeoutMs,
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          },
          (res) => {
            res.resume();
            res.on('end', () => {
              if (res.statusCode === 202) {
                ctx.recordLatency({ operation, startNs: intendedAtNs });
                resolve();
              } else {
                reject(new HttpRoundtripError(`http-${res.statusCode}`, `server answered ${res.statusCode}`));
              }
            });
          },
        );
        req.on('timeout', () =>
          req.destroy(new HttpRoundtripError('timeout', `no answer within ${timeoutMs} ms`)),
        );
        req.on('error', (error) =>
          reject(
            error instanceof HttpRoundtripError
              ? error
              : new HttpRoundtripError('network', error.message, error),
          ),
        );
        req.end(body);
      });

    return {
      send: post,
      async teardown() {
        agent.destroy();
        if (server.connected) server.disconnect();
        if (server.exitCode === null && server.signalCode === null) await once(server, 'exit');
      },
    };
  },
});

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
