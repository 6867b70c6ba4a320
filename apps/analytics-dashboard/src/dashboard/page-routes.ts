import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';

/** The dashboard page's folder (apps/analytics-dashboard/web). */
export const pageDir = new URL('../../web/', import.meta.url).pathname;

// uPlot is served from node_modules as published: no build step, no CDN
const uplotDir = join(dirname(createRequire(import.meta.url).resolve('uplot/package.json')), 'dist');

const FILES = [
  { route: '/', path: join(pageDir, 'index.html'), type: 'text/html; charset=utf-8' },
  { route: '/dashboard.js', path: join(pageDir, 'dashboard.js'), type: 'text/javascript; charset=utf-8' },
  { route: '/charts.js', path: join(pageDir, 'charts.js'), type: 'text/javascript; charset=utf-8' },
  { route: '/dashboard.css', path: join(pageDir, 'dashboard.css'), type: 'text/css; charset=utf-8' },
  {
    route: '/vendor/uplot.iife.min.js',
    path: join(uplotDir, 'uPlot.iife.min.js'),
    type: 'text/javascript; charset=utf-8',
  },
  { route: '/vendor/uplot.min.css', path: join(uplotDir, 'uPlot.min.css'), type: 'text/css; charset=utf-8' },
] as const;

/** Serves the page's static files, read once at start. */
export async function registerPage(app: FastifyInstance): Promise<void> {
  for (const { route, path, type } of FILES) {
    const body = await readFile(path, 'utf8');
    app.get(route, async (_request, reply) =>
      reply
        .header('content-type', type)
        .header('cache-control', 'no-cache')
        .header('x-content-type-options', 'nosniff')
        .header(
          'content-security-policy',
          "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'",
        )
        .send(body),
    );
  }
}
