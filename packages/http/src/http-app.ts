import { type TypeBoxTypeProvider, TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import { type HealthCheck, type ObservabilityOptions, observability } from '@streamkit/runtime';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyServerOptions,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import { type ErrorHandlerOptions, installErrorHandlers } from './error-handler.ts';
import { sendError } from './http-error.ts';

/** A service's fastify app: TypeBox schemas type the handlers. */
export type HttpApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export interface HttpAppOptions extends ErrorHandlerOptions {
  /** The service's registry (context.registry), served at /metrics. */
  readonly registry: ObservabilityOptions['registry'];
  /** Dependency probes for /health, by name (kafka, postgres, redis, ...). */
  readonly checks?: Readonly<Record<string, HealthCheck>>;
  /** Largest request body; a larger one is 413. Default 64 KiB. */
  readonly bodyLimit?: number;
  /** fastify's logger option (default: warnings and errors). */
  readonly logger?: FastifyServerOptions['logger'];
  /** Server timeouts, for services whose requests last (long-polls) or whose clients keep sockets. */
  readonly requestTimeout?: number;
  readonly keepAliveTimeout?: number;
}

/**
 * The fastify app every streamkit HTTP service starts from, so they all answer alike: TypeBox
 * validation, JSON bodies only (text/plain is 415 unless a route adds a parser), the common error
 * body for every 4xx/5xx and unknown route (installErrorHandlers), `/metrics` and `/health`, and
 * 503 `unavailable` + Retry-After in the same body for requests that arrive while it shuts down.
 * Idle keep-alive sockets are closed at once on shutdown (long-lived streams end in preClose).
 */
export async function createHttpApp(options: HttpAppOptions): Promise<HttpApp> {
  const app = Fastify({
    logger: options.logger ?? { level: 'warn' },
    bodyLimit: options.bodyLimit ?? 64 * 1024,
    forceCloseConnections: 'idle',
    // answered by the hook below in the common body (fastify's own 503 has another shape)
    return503OnClosing: false,
    ...(options.requestTimeout === undefined ? {} : { requestTimeout: options.requestTimeout }),
    ...(options.keepAliveTimeout === undefined ? {} : { keepAliveTimeout: options.keepAliveTimeout }),
  })
    .setValidatorCompiler(TypeBoxValidatorCompiler)
    .withTypeProvider<TypeBoxTypeProvider>();

  app.removeContentTypeParser('text/plain');
  installErrorHandlers(app, options);

  let closing = false;
  // registered first, so it runs before the preClose hooks that end streams and long-polls
  app.addHook('preClose', async () => {
    closing = true;
  });
  // a callback hook, not async: no promise per request on the hot path
  app.addHook('onRequest', (_request, reply, done) => {
    if (closing) sendError(reply, 503, { message: 'the service is shutting down', retryAfterS: 1 });
    else done();
  });

  await app.register(observability, {
    registry: options.registry,
    ...(options.checks === undefined ? {} : { checks: options.checks }),
  });
  return app;
}
