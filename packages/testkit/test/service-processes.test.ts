import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useServiceProcesses } from '../src/file-env.ts';
import { createServiceProcesses, type ServiceProcess } from '../src/index.ts';

describe('createServiceProcesses', () => {
  it('captures output, reports how a process ended, and kills what is left', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'svc-'));
    await writeFile(
      join(dir, 'svc.mjs'),
      `console.log('ready', process.env.GREETING);
       process.on('SIGTERM', () => { console.error('bye'); process.exit(0); });
       setInterval(() => {}, 1000);`,
    );
    const processes = createServiceProcesses();
    const graceful = processes.start('svc.mjs', { cwd: dir, env: { GREETING: 'hi' } });
    await expect.poll(() => graceful.output()).toContain('ready hi');
    expect(await graceful.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(graceful.output()).toContain('bye');

    const crashed = processes.start('svc.mjs', { cwd: dir, env: {} });
    await expect.poll(() => crashed.output()).toContain('ready');
    expect(await crashed.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });

    const left = processes.start('svc.mjs', { cwd: dir, env: {} });
    await expect.poll(() => left.output()).toContain('ready');
    processes.killAll();
    expect((await left.stop('SIGKILL')).signal).toBe('SIGKILL');
  });
});

describe('useServiceProcesses', () => {
  let left: ServiceProcess | undefined;
  describe('a file that leaves a process running', () => {
    const processes = useServiceProcesses();
    it('starts it', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'svc-'));
      await writeFile(join(dir, 'svc.mjs'), `console.log('ready'); setInterval(() => {}, 1000);`);
      left = processes.start('svc.mjs', { cwd: dir, env: {} });
      await expect.poll(() => left?.output()).toContain('ready');
    });
  });

  it('kills it after that file (scope) ends', async () => {
    expect(left).toBeDefined();
    expect(await left?.stop('SIGTERM')).toEqual({ code: null, signal: 'SIGKILL' });
  });
});
