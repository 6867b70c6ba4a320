import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { registerStaticPage } from '../src/index.ts';

describe('registerStaticPage', () => {
  it('serves each file with its type and a same-origin policy, and refuses unknown kinds', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'page-'));
    await writeFile(join(dir, 'index.html'), '<h1>hi</h1>');
    await writeFile(join(dir, 'app.js'), 'export {};');
    await writeFile(join(dir, 'logo.svg'), '<svg/>');
    const app = Fastify();
    await registerStaticPage(app, dir, { '/': 'index.html', '/app.js': 'app.js' });
    const page = await app.inject({ url: '/' });
    expect(page.body).toBe('<h1>hi</h1>');
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect((await app.inject({ url: '/app.js' })).headers['content-type']).toBe(
      'text/javascript; charset=utf-8',
    );
    await expect(registerStaticPage(Fastify(), dir, { '/logo.svg': 'logo.svg' })).rejects.toThrow(
      /logo\.svg/,
    );
  });
});
