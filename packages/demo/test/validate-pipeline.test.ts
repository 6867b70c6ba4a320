import { describe, expect, it } from 'vitest';
import { InvalidPipelineError } from '../src/errors.ts';
import { parsePipeline } from '../src/validate-pipeline.ts';

const service = {
  name: 'api',
  command: ['node', 'src/api/main.ts'],
  cwd: '/app',
  ready: { http: 'http://127.0.0.1:1/health' },
};
const valid = { name: 'shop', description: 'a shop', needs: ['kafka', 'redis'], services: [service] };

function problemsOf(value: unknown): readonly string[] {
  try {
    parsePipeline(value, 'test');
  } catch (error) {
    if (error instanceof InvalidPipelineError) return error.problems;
    throw error;
  }
  return [];
}

describe('parsePipeline', () => {
  it('accepts a well-formed pipeline and returns it unchanged', () => {
    expect(parsePipeline(valid, 'test')).toBe(valid);
    expect(
      parsePipeline({ ...valid, services: [{ ...service, ready: { logLine: /listening/ } }] }, 'test').name,
    ).toBe('shop');
  });

  it('rejects a default export that is not an object', () => {
    expect(problemsOf(undefined)).toEqual(['the default export is not an object']);
  });

  it('lists every problem of every service at once', () => {
    const problems = problemsOf({
      ...valid,
      prepare: 'migrate',
      services: [
        { name: 'Api', command: [], cwd: '', ready: { http: 'not a url' }, readyTimeoutMs: -1 },
        { ...service, env: { A: '1' } },
        { ...service },
      ],
    });
    expect(problems).toEqual([
      'prepare must be a function (infra) => Promise<void>',
      'services[0].name must be lowercase letters, digits and dashes',
      'services[0].command must be a non-empty array of non-empty strings (argv)',
      'services[0].cwd must be a directory path',
      'services[0].ready must be { http: <absolute URL> }, { logLine: RegExp } or { completes: true }',
      'services[0].readyTimeoutMs must be a positive integer',
      'services[1].env must be a function (infra) => Record<string, string>',
      'service names repeat: api',
    ]);
  });

  it('rejects an unknown infrastructure need', () => {
    expect(problemsOf({ ...valid, needs: ['kafka', 'zookeeper'] })).toEqual([
      'needs must be an array of: kafka, postgres, redis, mqtt',
    ]);
  });
});
