import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';

/** The console page's folder (apps/fraud-detection/web). */
export const consoleDir = new URL('../../web/', import.meta.url).pathname;

const FILES = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/console.js': { file: 'console.js', type: 'text/javascript; charset=utf-8' },
  '/format.js': { file: 'format.js', type: 'text/javascript; charset=utf-8' },
  '/console.css': { file: 'console.css', type: 'text/css; charset=utf-8' },
} as const;

const CONFIG_PLACEHOLDER = '<!--console-config-->';

export interface ConsoleOptions {
  /**
   * Put into the page so Acknowledge works without asking (demo only: ALERTS_CONSOLE_OPEN=true).
   * Otherwise the page asks for the key and keeps it in sessionStorage.
   */
  readonly embeddedApiKey?: string;
  readonly dir?: string;
}

/** Serves the console's static files (no build step), read once at start. */
export async function registerConsole(app: FastifyInstance, options: ConsoleOptions = {}): Promise<void> {
  const dir = options.dir ?? consoleDir;
  const config = JSON.stringify({ apiKey: options.embeddedApiKey ?? null }).replaceAll('<', '\\u003c');
  for (const [route, { file, type }] of Object.entries(FILES)) {
    let body = await readFile(join(dir, file), 'utf8');
    if (file === 'index.html') {
      body = body.replace(
        CONFIG_PLACEHOLDER,
        `<script type="application/json" id="console-config">${config}</script>`,
      );
    }
    app.get(route, async (_request, reply) =>
      reply
        .header('content-type', type)
        // the page may carry the demo key: never cache it
        .header('cache-control', 'no-store')
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .header(
          'content-security-policy',
          "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; frame-ancestors 'none'",
        )
        .send(body),
    );
  }
}
