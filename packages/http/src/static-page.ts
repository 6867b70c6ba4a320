import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'";

/**
 * Serves a page's static files (vanilla modules, no build step), read once at start: `files` maps
 * each route to a file of `dir` (.html, .js or .css). Same-origin content-security policy.
 */
export async function registerStaticPage(
  app: FastifyInstance,
  dir: string,
  files: Readonly<Record<string, string>>,
): Promise<void> {
  for (const [route, file] of Object.entries(files)) {
    const type = TYPES[extname(file)];
    if (type === undefined) throw new Error(`static page: no content type for ${file}`);
    const body = await readFile(join(dir, file), 'utf8');
    app.get(route, async (_request, reply) =>
      reply
        .header('content-type', type)
        .header('cache-control', 'no-cache')
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', CSP)
        .send(body),
    );
  }
}
