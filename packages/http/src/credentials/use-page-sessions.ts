import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  createPageSessions,
  type PageSessions,
  type PageSessionsSettings,
  registerPageSessions,
} from './page-sessions.ts';
import { requireCredential } from './require-credential.ts';

export interface UsePageSessionsOptions extends PageSessionsSettings {
  /**
   * The routes (by their route URL, e.g. `/api/views/:name`) one app-wide hook guards with
   * `canRead`. Without it nothing is guarded here: the service puts `canRead` on its routes itself.
   */
  readonly guards?: (routeUrl: string) => boolean;
}

export interface UsedPageSessions {
  readonly sessions: PageSessions;
  /** The onRequest hook: the service's key or a page session, else 401 in the common body. */
  readonly canRead: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
}

/**
 * A service whose own page reads its business data: page sessions (POST /session) and the hook
 * that takes the key or a session, guarding the routes `guards` names (every `/api/` route of the
 * dashboards). What the fraud console, the IoT dashboard and the analytics dashboard all do.
 */
export function usePageSessions(app: FastifyInstance, options: UsePageSessionsOptions): UsedPageSessions {
  const sessions = createPageSessions(options);
  registerPageSessions(app, sessions);
  const canRead = requireCredential({ apiKey: options.apiKey, sessions });
  const { guards } = options;
  if (guards !== undefined) {
    app.addHook('onRequest', async (request, reply) => {
      const url = request.routeOptions.url;
      if (url !== undefined && guards(url)) return canRead(request, reply);
    });
  }
  return { sessions, canRead };
}
