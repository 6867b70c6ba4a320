import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';

/** The storefront's folder (apps/recommendations/web). */
export const storefrontDir = new URL('../../web/', import.meta.url).pathname;

const FILES = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/storefront.js': { file: 'storefront.js', type: 'text/javascript; charset=utf-8' },
  '/api.js': { file: 'api.js', type: 'text/javascript; charset=utf-8' },
  '/render.js': { file: 'render.js', type: 'text/javascript; charset=utf-8' },
  '/storefront.css': { file: 'storefront.css', type: 'text/css; charset=utf-8' },
} as const;

/** Serves the storefront's static files (vanilla JS modules, no build step), read once at start. */
export async function registerStorefront(app: FastifyInstance, dir = storefrontDir): Promise<void> {
  for (const [route, { file, type }] of Object.entries(FILES)) {
    const body = await readFile(join(dir, file), 'utf8');
    app.get(route, async (_request, reply) =>
      reply
        .header('content-type', type)
        .header('cache-control', 'no-cache')
        .header('x-content-type-options', 'nosniff')
        .header(
          'content-security-policy',
          "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'",
        )
        .send(body),
    );
  }
}
