import { registerStaticPage } from '@streamkit/http';
import type { FastifyInstance } from 'fastify';

/** The storefront's folder (apps/recommendations/web). */
export const storefrontDir = new URL('../../web/', import.meta.url).pathname;

/** Serves the storefront's static files (vanilla JS modules, no build step), read once at start. */
export function registerStorefront(app: FastifyInstance, dir = storefrontDir): Promise<void> {
  return registerStaticPage(app, dir, {
    '/': 'index.html',
    '/storefront.js': 'storefront.js',
    '/api.js': 'api.js',
    '/render.js': 'render.js',
    '/storefront.css': 'storefront.css',
  });
}
