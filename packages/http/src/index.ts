// HTTP pieces every pipeline's fastify services share: JSON errors that name the failing fields,
// a bound on requests in flight, and a constant-time API key check.
export { createApiKeyCheck } from './api-key.ts';
export { type ErrorHandlerOptions, installErrorHandlers } from './error-handlers.ts';
export { createInFlightLimit } from './in-flight-limit.ts';
export { registerStaticPage } from './static-page.ts';
