import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  arbitraryOf,
  contractBreach,
  type FuzzFigures,
  finishFuzzRound,
  type JsonSchema,
  mutationsOf,
  sampleFuzzInputs,
} from '../src/fuzz/index.ts';

const schema: JsonSchema = {
  type: 'object',
  required: ['id', 'mcc', 'amount', 'kind', 'ts', 'tags'],
  properties: {
    id: { type: 'string', minLength: 1, maxLength: 8, pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$' },
    mcc: { type: 'string', pattern: '^[0-9]{4}$' },
    amount: { type: 'integer', minimum: 1, maximum: 100 },
    score: { type: 'number', minimum: 0, maximum: 1 },
    kind: { enum: ['a', 'b'] },
    ts: { type: 'string', format: 'date-time' },
    ip: {
      anyOf: [
        { type: 'string', format: 'ipv4' },
        { type: 'string', format: 'ipv6' },
      ],
    },
    tags: { type: 'array', items: { type: 'string', maxLength: 3 }, maxItems: 2 },
  },
};

describe('arbitraryOf', () => {
  it('generates only values that satisfy the schema', () => {
    fc.assert(
      fc.property(arbitraryOf(schema), (value) => {
        const v = value as Record<string, unknown>;
        expect(String(v.id)).toMatch(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,7}$/);
        expect(String(v.mcc)).toMatch(/^[0-9]{4}$/);
        expect(Number.isInteger(v.amount) && (v.amount as number) >= 1 && (v.amount as number) <= 100).toBe(
          true,
        );
        if ('score' in v) expect((v.score as number) >= 0 && (v.score as number) <= 1).toBe(true);
        expect(['a', 'b']).toContain(v.kind);
        expect(Number.isNaN(Date.parse(String(v.ts)))).toBe(false);
        expect(String(v.ts)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(Z|[+-]\d\d:\d\d)$/);
        expect((v.tags as string[]).length).toBeLessThanOrEqual(2);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a keyword it cannot generate instead of generating less', () => {
    expect(() => arbitraryOf({ type: 'string', format: 'uri' })).toThrow(/format uri/);
    expect(() => arbitraryOf({ not: {} } as JsonSchema)).toThrow(/cannot generate/);
  });
});

describe('mutationsOf', () => {
  it('changes a valid value nearly always, and never throws while doing it', () => {
    const valid = fc.sample(arbitraryOf(schema), { numRuns: 1, seed: 7 })[0];
    const mutated = fc.sample(mutationsOf(fc.constant(valid)), 300);
    const changed = mutated.filter((m) => JSON.stringify(m) !== JSON.stringify(valid)).length;
    expect(changed).toBeGreaterThan(250);
  });
});

describe('contractBreach', () => {
  const expectations = { accepted: [202], otherRejections: [413] };
  it('accepts an accepted status, a 400 naming fields, an expected 4xx in the error body', () => {
    expect(contractBreach({ status: 202, body: '' }, expectations)).toBeUndefined();
    const named = JSON.stringify({ error: 'bad_request', fields: [{ field: 'amount', message: 'too big' }] });
    expect(contractBreach({ status: 400, body: named }, expectations)).toBeUndefined();
    expect(
      contractBreach({ status: 413, body: '{"error":"payload_too_large"}' }, expectations),
    ).toBeUndefined();
  });
  it('flags a 5xx, an unexpected 4xx, a 400 naming no field, a body that is not the error body', () => {
    expect(contractBreach({ status: 500, body: '{"error":"internal_error"}' }, expectations)).toMatch(/500/);
    expect(contractBreach({ status: 409, body: '{"error":"conflict"}' }, expectations)).toMatch(/409/);
    expect(contractBreach({ status: 400, body: '{"error":"bad_request"}' }, expectations)).toMatch(
      /names no field/,
    );
    expect(
      contractBreach({ status: 400, body: '{"error":"bad_request","fields":[{"field":"x"}]}' }, expectations),
    ).toMatch(/not \{field, message\}/);
    expect(contractBreach({ status: 413, body: 'too large' }, expectations)).toMatch(/not JSON/);
  });
});

describe('finishFuzzRound', () => {
  it('counts the topic records into the figures, reports them, and returns the invalid ones', async () => {
    const report = join(await mkdtemp(join(tmpdir(), 'fuzz-')), 'report.ndjson');
    const figures: FuzzFigures = {
      ingress: 'test POST /x',
      inputs: 3,
      accepted: 2,
      rejected: { 400: 1 },
      serverErrors: 0,
      seconds: 0.1,
      inputsPerSecond: 30,
      loadAverage: 0,
    };
    const records = [{ value: '{"n":1}' }, { value: '{"n":"two"}' }, { value: 'nope' }];
    const invalid = finishFuzzRound(
      figures,
      records,
      (v) =>
        typeof (v as { n: unknown }).n === 'number'
          ? { ok: true }
          : { ok: false, errors: [{ field: 'n', message: 'not a number' }] },
      { runs: 3, report },
    );
    expect(invalid).toHaveLength(2);
    expect(invalid[0]).toMatch(/not JSON|not a number/);
    expect(figures.topicRecords).toBe(3);
    expect(JSON.parse(await readFile(report, 'utf8'))).toMatchObject({
      ingress: 'test POST /x',
      topicRecords: 3,
    });
  });
});

describe('sampleFuzzInputs', () => {
  it('draws FUZZ_RUNS inputs, the same ones again for the same seed', () => {
    const inputs = fc.integer();
    expect(sampleFuzzInputs(inputs, { runs: 7 })).toHaveLength(7);
    expect(sampleFuzzInputs(inputs, { runs: 5, seed: 42 })).toEqual(
      sampleFuzzInputs(inputs, { runs: 5, seed: 42 }),
    );
  });
});
