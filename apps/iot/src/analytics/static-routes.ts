import { registerStaticPage } from '@streamkit/http';
import type { FastifyInstance } from 'fastify';

/** The dashboard's folder (apps/iot/web). */
export const dashboardDir = new URL('../../web/', import.meta.url).pathname;

/** Serves the dashboard's static files (no build step), read once at start. */
export function registerDashboard(app: FastifyInstance, dir = dashboardDir): Promise<void> {
  return registerStaticPage(app, dir, {
    '/': 'index.html',
    '/dashboard.js': 'dashboard.js',
    '/chart.js': 'chart.js',
    '/dashboard.css': 'dashboard.css',
  });
}
