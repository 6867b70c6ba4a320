// The HTTP contract every streamkit service keeps: one app factory, one error body for every 4xx/5xx
// (`{ error, message?, fields? }`), one credential hook (API key or page session), one SSE helper, a bound on requests in flight.
export {
  API_KEY_HEADER,
  API_KEY_MESSAGE,
  createApiKeyCheck,
  MIN_API_KEY_LENGTH,
  requireApiKey,
} from './api-key.ts';
export { type AddressRateLimit, createAddressRateLimit } from './credentials/address-rate-limit.ts';
export {
  createPageSessions,
  type PageSessions,
  type PageSessionsSettings,
  registerPageSessions,
  SESSION_COOKIE,
  SESSION_ROUTE,
} from './credentials/page-sessions.ts';
export { CREDENTIAL_MESSAGE, requireCredential } from './credentials/require-credential.ts';
export {
  type UsedPageSessions,
  type UsePageSessionsOptions,
  usePageSessions,
} from './credentials/use-page-sessions.ts';
export { type Outage, outageOf } from './dependency-outage.ts';
export {
  type ErrorBody,
  ErrorBodySchema,
  type ErrorDetail,
  type ErrorName,
  type ErrorStatus,
  errorBody,
  errorNameOf,
  errorNames,
} from './error-body.ts';
export { type ErrorHandlerOptions, installErrorHandlers } from './error-handler.ts';
export {
  createEventStreams,
  type EventStreams,
  type EventStreamsSettings,
  type OpenOptions,
  StreamIdError,
} from './event-streams/event-streams.ts';
export type { StreamMessage } from './event-streams/replay-buffer.ts';
export { createHttpApp, type HttpApp, type HttpAppOptions } from './http-app.ts';
export { type ErrorAnswer, HttpError, sendError } from './http-error.ts';
export { createInFlightLimit } from './in-flight-limit.ts';
export { registerStaticPage } from './static-page.ts';
