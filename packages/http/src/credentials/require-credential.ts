import type { FastifyReply, FastifyRequest } from 'fastify';
import { API_KEY_HEADER, createApiKeyCheck } from '../api-key.ts';
import { sendError } from '../http-error.ts';
import { type PageSessions, SESSION_ROUTE } from './page-sessions.ts';

/** The one message of every 401 of a route that takes a key or a page session. */
export const CREDENTIAL_MESSAGE = `send a valid ${API_KEY_HEADER} header, or the session cookie from POST ${SESSION_ROUTE}`;

/**
 * The onRequest hook of every route that returns business data: the service's key (`x-api-key`,
 * for programs) or a page session (the cookie of POST /session, for the service's own page).
 * Anything else is 401 in the common body, before the query or body is looked at. Routes that
 * change data take the key alone (`requireApiKey`): a page session is anyone's for the asking.
 */
export function requireCredential(options: { readonly apiKey: string; readonly sessions: PageSessions }) {
  const matches = createApiKeyCheck(options.apiKey);
  const { sessions } = options;
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (matches(request.headers[API_KEY_HEADER])) return;
    if (sessions.verify(sessions.fromCookie(request.headers.cookie))) return;
    return sendError(reply, 401, CREDENTIAL_MESSAGE);
  };
}
